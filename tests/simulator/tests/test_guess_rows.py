"""The contract suite (tests/live) answers for every guessed row of docs/simulator.md's table of guesses.

tests/live/guess_rows.yml lists the rows; the suite checks each on a real server where the server allows it,
and reports the others with a reason. A row added to (or renamed in) the table without a place in the
suite, or a row the suite lists that the table no longer guesses, fails here.
"""

from __future__ import annotations

import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]


def guessed_rows():
    """The topics of the table's rows whose status calls something a guess."""
    text = (ROOT / "docs" / "simulator.md").read_text(encoding="utf-8")
    lines = text[text.index("| topic | simulator | status |"):].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        topic, unused_simulator, status = [cell.strip() for cell in line.strip().strip("|").split("|")][:3]
        if "guess" in status:
            rows.append(topic)
    return rows


def test_every_guessed_row_has_its_place_in_the_contract_suite():
    listed = yaml.safe_load((ROOT / "tests" / "live" / "guess_rows.yml").read_text(encoding="utf-8"))["live_guess_rows"]
    assert sorted(row["row"] for row in listed) == sorted(guessed_rows())
    assert len(guessed_rows()) > 40  # the table was found and read


def test_each_row_never_checked_says_why():
    listed = yaml.safe_load((ROOT / "tests" / "live" / "guess_rows.yml").read_text(encoding="utf-8"))["live_guess_rows"]
    assert all(set(row) == {"row"} or (set(row) == {"row", "skip"} and len(row["skip"]) > 20) for row in listed)


def test_the_suite_checks_every_row_it_does_not_skip():
    """Each row without a skip reason is reported by guesses.yml, content.yml or paging.yml."""
    listed = yaml.safe_load((ROOT / "tests" / "live" / "guess_rows.yml").read_text(encoding="utf-8"))["live_guess_rows"]
    tasks = "".join((ROOT / "tests" / "live" / "tasks" / name).read_text(encoding="utf-8")
                    for name in ("guesses.yml", "content.yml", "paging.yml"))
    checked = [row["row"] for row in listed if "skip" not in row]
    assert [row for row in checked if '"{0}"'.format(row) not in tasks and "'{0}'".format(row) not in tasks] == []
