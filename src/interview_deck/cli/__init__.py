"""The ``interview-deck`` command: arguments in, library calls, messages out. Nothing else.

``app`` holds the group and what every command shares; each other module holds the commands
of one job. Importing them registers the commands; none imports the library until it runs.
"""

from __future__ import annotations

from . import add, decks, info, sync
from .app import main

__all__ = ["add", "decks", "info", "main", "sync"]
