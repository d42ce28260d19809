"""A local stand-in for the Posit Connect users/groups Server API (tests only)."""

__version__ = "0.1.0"
