"""interview-deck: interview questions, with why and how to ask them, as Anki decks.

The public API::

    from interview_deck import Deck, Question, write_package
    deck = Deck("Interview Questions::Mine", questions=[Question(id="team-size", ...)])
    write_package([deck], "mine.apkg")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "ArgumentError",
    "BuildResult",
    "Deck",
    "DeckError",
    "InterviewDeckError",
    "OutputError",
    "Problem",
    "Question",
    "Revisions",
    "bundled_decks",
    "load_decks",
    "open_in_anki",
    "write_package",
]

if TYPE_CHECKING:
    __version__: str
    from .apkg.handoff import open_in_anki
    from .apkg.revisions import Revisions
    from .apkg.writer import BuildResult, write_package
    from .errors import ArgumentError, DeckError, InterviewDeckError, OutputError, Problem
    from .model import Deck, Question
    from .selection import bundled_decks
    from .sources.loading import load_decks

_LAZY = {
    "Deck": "model",
    "Question": "model",
    "ArgumentError": "errors",
    "DeckError": "errors",
    "InterviewDeckError": "errors",
    "OutputError": "errors",
    "Problem": "errors",
    "BuildResult": "apkg.writer",
    "write_package": "apkg.writer",
    "open_in_anki": "apkg.handoff",
    "Revisions": "apkg.revisions",
    "load_decks": "sources.loading",
    "bundled_decks": "selection",
}


def __getattr__(name: str) -> Any:
    # Heavy modules (genanki, yaml) load on first use, so `interview-deck --help` starts fast;
    # so does importlib.metadata, which gives __version__ from the installed metadata.
    if name == "__version__":
        from .versions import package_version

        return package_version()
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'interview_deck' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
