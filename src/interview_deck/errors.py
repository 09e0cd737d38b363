"""One error family: everything the library raises on purpose derives from InterviewDeckError."""

from __future__ import annotations

import re
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


# A file with very many problems shows the first ones and then one line saying how many more.
_NOT_SHOWN = re.compile(r"(\d+) more problems? not shown\b")


class DeckError(InterviewDeckError):
    """The decks have problems; ``problems`` lists every one found, in file order (a file
    with very many ends with one "N more problems not shown" entry)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) + "\n" + self.summary())

    @property
    def not_shown(self) -> int:
        """How many problems are only counted, not listed."""
        return sum(int(m.group(1)) for p in self.problems
                   if (m := _NOT_SHOWN.match(p.message)) is not None)

    @property
    def total(self) -> int:
        """How many problems there are in all, listed or not."""
        listed = sum(1 for p in self.problems if not _NOT_SHOWN.match(p.message))
        return listed + self.not_shown

    def summary(self) -> str:
        """"3 problems found", or "500 problems found (400 not shown)"."""
        total, hidden = self.total, self.not_shown
        text = f"{total} problem{'s' if total != 1 else ''} found"
        return f"{text} ({hidden} not shown)" if hidden else text


class ArgumentError(InterviewDeckError, TypeError):
    """A library function was given a value of the wrong kind; the message names the
    parameter. (Also a TypeError, as Python's own would be.)"""


class OutputError(InterviewDeckError):
    """The output could not be written (missing folder, no permission, disk full)."""


class CollectionError(InterviewDeckError):
    """An Anki collection cannot be used: missing, in use, or in a format we must not change."""


class CollectionLocked(CollectionError):
    """Anki (or another program) has the collection open."""
