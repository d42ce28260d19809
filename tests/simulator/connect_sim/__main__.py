"""Allow ``python -m connect_sim`` (used by testing.running_simulator)."""

from connect_sim.cli import main

raise SystemExit(main())
