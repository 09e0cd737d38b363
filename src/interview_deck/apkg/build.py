"""The build, as the command line does it: choose sources, load, check, filter, write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Deck
from ..output import refuse_inputs
from ..selection import Selection, require_questions
from .revisions import default_ledger_path
from .writer import BuildResult, write_package

DEFAULT_OUTPUT = "interview-questions.apkg"


@dataclass(frozen=True, slots=True)
class BuildReport:
    """A finished build: what was written, from which decks."""

    result: BuildResult
    decks: tuple[Deck, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """Things the user should know; the package itself is fine."""
        return self.result.warnings


def build(
    paths: Sequence[Path | str] | Selection,
    output: Path | str = DEFAULT_OUTPUT,
    *,
    include_bundled: bool = True,
    ledger: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build the selected decks into ``output`` and record new revisions in ``ledger``.

    ``paths`` is a Selection, or YAML paths to add to the bundled decks (nothing personal).
    ``ledger`` defaults to ``default_ledger_path()``. Nothing is written when a deck has problems,
    when ``output`` is one of the inputs or the ledger, or when no question is selected.
    """
    if isinstance(paths, Selection):
        selection = paths
    else:
        selection = Selection(tuple(Path(p) for p in paths), bundled=include_bundled,
                              personal=False)
    refuse_inputs(output, selection.input_files())
    refuse_inputs(output, [ledger or default_ledger_path()], "the revisions ledger")
    decks = selection.load()
    require_questions(decks, "build")
    result = write_package(decks, output, revisions=ledger, progress=progress, check=False)
    return BuildReport(result, decks)
