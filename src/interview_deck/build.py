"""The whole job, as the command line does it: choose sources, load, check, write, record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .anki import BuildResult, write_package
from .errors import OutputError
from .model import Deck
from .paths import bundled_decks_dir
from .revisions import BUNDLED_FILE, Revisions, default_ledger_path, read_file
from .sources import load_decks

DEFAULT_OUTPUT = "interview-questions.apkg"


def bundled_decks() -> tuple[Deck, ...]:
    """The decks shipped with the package: the article's questions."""
    return load_decks([bundled_decks_dir()])


def source_paths(paths: Iterable[Path | str], include_bundled: bool = True) -> list[Path]:
    """The files and folders a build reads: the bundled decks (unless left out), then ``paths``."""
    chosen = [bundled_decks_dir()] if include_bundled else []
    chosen.extend(Path(p) for p in paths)
    return chosen


def load_selection(paths: Iterable[Path | str], include_bundled: bool = True) -> tuple[Deck, ...]:
    """Load and check every deck a build would use; raises DeckError listing all problems."""
    return load_decks(source_paths(paths, include_bundled))


@dataclass(frozen=True, slots=True)
class BuildReport:
    """A finished build: what was written, and anything the user should know."""

    result: BuildResult
    decks: tuple[Deck, ...]
    warnings: tuple[str, ...] = ()


def build(
    paths: Sequence[Path | str],
    output: Path | str = DEFAULT_OUTPUT,
    *,
    include_bundled: bool = True,
    ledger: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the selected decks into ``output`` and record new revisions in ``ledger``.

    ``ledger`` defaults to ``default_ledger_path()``. Nothing is written when a deck has problems.
    """
    decks = load_selection(paths, include_bundled)
    ledger_path = ledger if ledger is not None else default_ledger_path()
    revisions = Revisions.load(ledger_path, base=read_file(bundled_decks_dir() / BUNDLED_FILE))
    result = write_package(decks, output, revisions=revisions, progress=progress)
    warnings: list[str] = []
    if revisions.changed:
        try:
            revisions.save(ledger_path)
        except OutputError as error:
            # The deck is written and correct; only reproducibility of later builds suffers.
            warnings.append(f"could not record revisions: {error}")
    return BuildReport(result, decks, tuple(warnings))
