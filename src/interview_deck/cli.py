"""The ``interview-deck`` command: arguments in, library calls, messages out. Nothing else."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .model import Deck

F = TypeVar("F", bound=Callable[..., Any])

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
NO_BUNDLED = click.option(
    "--no-bundled", is_flag=True, help="Leave out the bundled decks (a deck entirely your own)."
)


def reports_errors(command: F) -> F:
    """Turn the library's errors into `path:line:col: message` lines on stderr and exit 1."""
    writes = command.__name__ == "build"

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import DeckError, InterviewDeckError

        try:
            return command(*args, **kwargs)
        except DeckError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            count = len(error.problems)
            note = "; nothing written." if writes else "."
            click.echo(f"{_count(count, 'problem')} found{note}", err=True)
            sys.exit(1)
        except InterviewDeckError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="interview-deck")
def main() -> None:
    """Turn interview questions into Anki flashcards that keep your reviews across updates.

    \b
    Build the bundled deck of questions to ask, then import it in Anki (File > Import):
      interview-deck build
    """


@main.command()
@PATHS
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("interview-questions.apkg"), show_default=True,
              help="Where to write the Anki package.")
@NO_BUNDLED
@click.option("--revisions", "ledger", type=click.Path(dir_okay=False, path_type=Path),
              help="Ledger of when each question last changed "
                   "[default: $XDG_STATE_HOME/interview-deck/revisions.json].")
@reports_errors
def build(paths: tuple[Path, ...], output: Path, no_bundled: bool, ledger: Path | None) -> None:
    """Build an Anki package from the bundled decks plus any YAML files or folders in PATHS.

    \b
    Examples:
      interview-deck build
      interview-deck build my-questions.yaml -o interviews.apkg
      interview-deck build --no-bundled my-decks/
    """
    from .build import build as run_build

    report = run_build(paths, output, include_bundled=not no_bundled, ledger=ledger)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    result = report.result
    click.echo(
        f"Wrote {result.path}: {_count(result.decks, 'deck')}, {_count(result.notes, 'note')}, "
        f"{_count(result.cards, 'card')} ({_size(result.size)})."
    )
    click.echo("Import it in Anki with File > Import; re-importing updates the same notes.")


@main.command()
@PATHS
@NO_BUNDLED
@reports_errors
def check(paths: tuple[Path, ...], no_bundled: bool) -> None:
    """Check the decks a build would use, without writing anything.

    Every problem in every file is printed as path:line:column: message on stderr, and the
    exit code is 1; a clean check prints a one-line summary.

    \b
    Examples:
      interview-deck check my-questions.yaml
      interview-deck check --no-bundled my-decks/
    """
    from .build import load_selection

    decks = load_selection(paths, include_bundled=not no_bundled)
    total = sum(len(deck.questions) for deck in decks)
    files = len({deck.source for deck in decks})
    click.echo(f"No problems: {_count(total, 'question')} in {_count(len(decks), 'deck')} "
               f"from {_count(files, 'file')}.")


@main.command()
@click.option("--path", "show_path", is_flag=True, help="Print where the schema file is instead.")
def schema(show_path: bool) -> None:
    """Print the JSON Schema of deck files, for editor completion and checks.

    Save it beside your deck and add this first line to the YAML file:
    # yaml-language-server: $schema=deck.schema.json

    \b
    Examples:
      interview-deck schema > deck.schema.json
      interview-deck schema --path
    """
    from .paths import schema_path

    if show_path:
        click.echo(str(schema_path()))
    else:
        click.echo(schema_path().read_text(encoding="utf-8"), nl=False)


@main.command(name="list")
@PATHS
@NO_BUNDLED
@reports_errors
def list_questions(paths: tuple[Path, ...], no_bundled: bool) -> None:
    """List the questions a build would include, as a table.

    \b
    Examples:
      interview-deck list
      interview-deck list my-questions.yaml
    """
    from .build import load_selection

    decks = load_selection(paths, include_bundled=not no_bundled)
    click.echo(_table(decks))


def _table(decks: tuple[Deck, ...]) -> str:
    rows = [("ID", "DECK", "TAGS", "QUESTION")]
    for deck in decks:
        for question in deck.questions:
            rows.append((question.id, deck.name, ",".join(question.tags),
                         " ".join(question.question.split())))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3]
             for row in rows]
    total = sum(len(deck.questions) for deck in decks)
    lines.append(f"{_count(total, 'question')} in {_count(len(decks), 'deck')}")
    return "\n".join(line.rstrip() for line in lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"
