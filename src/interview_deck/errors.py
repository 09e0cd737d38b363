"""One error family: everything the library raises on purpose derives from InterviewDeckError."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    """The file (or, for decks built in Python, a description of the object) at fault."""

    line: int
    """1-based line, or 0 when the problem has no line (a missing file, a Python object)."""

    column: int
    """1-based column, or 0 when the problem has no column."""

    message: str
    """What is wrong and, where it helps, how to fix it."""

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{self.path}: {self.message}"


class InterviewDeckError(Exception):
    """Base class for errors caused by input or environment, never by a bug."""


class DeckError(InterviewDeckError):
    """The decks have problems; ``problems`` lists every one found, in file order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        super().__init__(
            "\n".join(str(p) for p in self.problems)
            + f"\n{count} problem{'s' if count != 1 else ''} found"
        )


class OutputError(InterviewDeckError):
    """The output could not be written (missing folder, no permission, disk full)."""


class CollectionError(InterviewDeckError):
    """An Anki collection cannot be used: missing, in use, or in a format we must not change."""


class CollectionLocked(CollectionError):
    """Anki (or another program) has the collection open."""
