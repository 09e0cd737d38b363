"""Where things live: the bundled decks."""

from __future__ import annotations

from pathlib import Path


def bundled_decks_dir() -> Path:
    """The decks shipped inside the package (in a source checkout: the repository's ``decks/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "decks"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "decks"


def schema_path() -> Path:
    """The JSON Schema of deck files, shipped beside the bundled decks."""
    return bundled_decks_dir() / "deck.schema.json"
