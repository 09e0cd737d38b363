"""The commands that read decks and write what they make: build, check, list, preview,
export."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from .app import PathType, count, limit_option, main, reports_errors, selection_options

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import Deck
    from ..selection import Selection


@main.command()
@selection_options(filters=True)
@click.option("-o", "--output", type=PathType(dir_okay=False),
              default="interview-questions.apkg", show_default=True,
              help="Where to write the Anki package.")
@click.option("--revisions", "ledger", type=PathType(dir_okay=False),
              help="Ledger of when each question last changed [default: see "
                   "'interview-deck where'].")
@click.option("--open", "open_anki", is_flag=True,
              help="Hand the package to Anki: a running Anki imports it, or Anki starts with it.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems and warnings.")
@reports_errors
def build(selection: Selection, output: Path, ledger: Path | None, open_anki: bool,
          quiet: bool) -> None:
    """Build an Anki package from the bundled decks, your personal folder, and PATHS.

    PATHS are YAML deck files or folders. Import the result in Anki with File > Import, or
    with --open, which hands it to Anki (open or not) for its import dialog; importing a
    newer build updates the same notes and keeps your reviews.

    \b
    Examples:
      interview-deck build --open
      interview-deck build my-questions.yaml -o interviews.apkg
      interview-deck build --no-bundled my-decks/
      interview-deck build --tag culture --tag growth
      interview-deck build --skip-tag role::engineering -o for-designers.apkg
    """
    from ..apkg.build import build as run_build

    if str(output) == "-":
        raise click.BadParameter("build writes a binary package; name a file, such as "
                                 "interview-questions.apkg", param_hint="'-o'")
    if open_anki:
        from ..apkg.handoff import openable_problem

        if (problem := openable_problem(output)) is not None:
            raise click.BadParameter(problem, param_hint="'--open'")
    with _ProgressBar(enabled=not quiet) as progress:
        report = run_build(selection, output, ledger=ledger, progress=progress.update)
    from ..sources.advice import deck_warnings

    for warning in (*deck_warnings(report.decks), *report.warnings):
        click.echo(f"warning: {warning}", err=True)
    result = report.result
    if not quiet:
        click.echo(
            f"Wrote {result.path}: {count(result.decks, 'deck')}, "
            f"{count(result.notes, 'note')}, {count(result.cards, 'card')} "
            f"({_size(result.size)}).", err=True)
    if not open_anki:
        if not quiet:
            click.echo("Import it in Anki with File > Import (or build with --open); "
                       "re-importing updates the same notes.", err=True)
        return
    from ..apkg.handoff import open_in_anki

    handed = open_in_anki(result.path)
    if not quiet:
        click.echo("Anki is starting with it: the import opens once a profile is open."
                   if handed.started else "Handed it to Anki: its import dialog shows what it "
                   "adds and updates.", err=True)


@main.command()
@selection_options(filters=False)
@reports_errors
def check(selection: Selection) -> None:
    """Check the decks a build would use, without writing anything.

    Every problem in every file is printed as path:line:column: message on stderr, and the
    exit code is 1; a clean check prints a one-line summary. Warnings (exit code 0) point out
    what works but reads badly, such as a Read the answer card with more than six items.

    \b
    Examples:
      interview-deck check my-questions.yaml
      interview-deck check --no-bundled my-decks/
    """
    from ..sources.advice import deck_warnings, reading_warnings

    decks = selection.load()
    for warning in (*deck_warnings(decks), *reading_warnings(decks)):
        click.echo(f"warning: {warning}", err=True)
    total = sum(len(deck.questions) for deck in decks)
    files = len({deck.file for deck in decks})
    click.echo(f"No problems: {count(total, 'question')} in "
               f"{count(_deckcount(decks), 'deck')} from {count(files, 'file')}.")


@main.command(name="list")
@selection_options(filters=True)
@reports_errors
def list_questions(selection: Selection) -> None:
    """List the questions a build would include, as a table.

    In a terminal the table fits its width (long cells are shortened, and narrow terminals
    leave out the CARDS, then TAGS, then DECK columns); piped or redirected, every cell is
    printed in full.

    \b
    Examples:
      interview-deck list
      interview-deck list my-questions.yaml
      interview-deck list --tag culture | grep salary
    """
    from .table import render, table_rows

    decks = selection.load()
    rows, cards = table_rows(decks)
    width = _terminal_width()
    text, left_out = render(rows, width)
    total = sum(len(deck.questions) for deck in decks)
    click.echo(f"{text}\n{count(total, 'question')} in {count(_deckcount(decks), 'deck')}, "
               f"{count(cards, 'card')}")
    if left_out:
        click.echo(f"({', '.join(left_out)} left out to fit {width} columns; pipe the "
                   "output, as in 'interview-deck list | less -S', for every column)", err=True)


def _terminal_width() -> int | None:
    """The terminal's width when stdout is one (COLUMNS overrides it), else None."""
    import shutil

    if sys.stdout is None or not sys.stdout.isatty():
        return None
    return max(shutil.get_terminal_size().columns, 40)


@main.command()
@selection_options(filters=True)
@click.option("-o", "--output", type=PathType(dir_okay=False),
              default="interview-deck-preview.html", show_default=True,
              help="Where to write the preview page ('-' for standard output).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in your browser.")
@limit_option
@reports_errors
def preview(selection: Selection, output: Path, open_page: bool, limit: int | None) -> None:
    """Write one HTML page showing every card, front and back, as Anki will show it.

    The page is self-contained (no network), switches between light and night mode, and
    works at phone width: check your own questions before you import them.

    \b
    Examples:
      interview-deck preview my-questions.yaml --open
      interview-deck preview --no-bundled -o cards.html
      interview-deck preview --tag ask::peer --limit 8
    """
    from ..apkg.cards import CardTemplates, note_cards
    from ..apkg.revisions import default_ledger_path
    from ..exports.preview import preview_html
    from ..exports.shortlist import shortlist
    from ..output import refuse_inputs, write_atomically, write_stdout
    from ..selection import require_questions

    to_stdout = str(output) == "-"
    if not to_stdout:
        refuse_inputs(output, selection.input_files())
        refuse_inputs(output, [default_ledger_path()], "the revisions ledger")
    loaded = selection.load()
    require_questions(loaded, "preview")
    decks = shortlist(loaded, limit)
    page = preview_html(decks).encode("utf-8")
    notes = sum(len(deck.questions) for deck in decks)
    style = CardTemplates.load()
    cards = sum(len(note_cards(q, deck, templates=style)) for deck in decks for q in deck.questions)
    if to_stdout:
        write_stdout(page)
        click.echo(f"Wrote the page: {count(notes, 'note')}, {count(cards, 'card')}.",
                   err=True)
        return
    write_atomically(output, page)
    click.echo(f"Wrote {output}: {count(notes, 'note')}, {count(cards, 'card')}.", err=True)
    if open_page and click.launch(str(output.resolve())) != 0:
        click.echo(f"warning: could not open a browser; open {output} yourself", err=True)


@main.command()
@selection_options(filters=True)
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "csv"]),
              default="markdown", show_default=True,
              help="markdown or html: a cheat sheet by topic; csv: Anki's text-import format.")
@click.option("-o", "--output", type=PathType(dir_okay=False),
              help="Where to write it ('-' for standard output) [default: standard output].")
@limit_option
@reports_errors
def export(selection: Selection, fmt: str, output: Path | None, limit: int | None) -> None:
    """Export the questions as a cheat sheet (Markdown, printable HTML) or as Anki CSV.

    The cheat sheet groups questions by topic and gives each its setup, purpose and how to read
    the answer; the HTML prints on A4 or Letter. For one interview, pick who you meet and how
    many questions fit: --tag ask::hiring-manager --limit 6 prints on one page. The CSV has
    Anki's header lines and the same note GUIDs as the .apkg, for Anki's File > Import of text
    files.

    \b
    Examples:
      interview-deck export > cheat-sheet.md
      interview-deck export --format html -o cheat-sheet.html
      interview-deck export --format csv -o interview-questions.csv
      interview-deck export --tag ask::hiring-manager --limit 6 --format html -o sheet.html
      interview-deck export --tag stage::offer --format html -o offer-call.html
      interview-deck export --tag stage::interview --skip-tag role::engineering
    """
    from ..apkg.revisions import default_ledger_path
    from ..exports.formats import export as render_export
    from ..exports.shortlist import shortlist
    from ..output import refuse_inputs, write_atomically, write_stdout
    from ..selection import require_questions

    if output is not None and str(output) != "-":
        refuse_inputs(output, selection.input_files())
        refuse_inputs(output, [default_ledger_path()], "the revisions ledger")
    loaded = selection.load()
    require_questions(loaded, "export")
    text = render_export(shortlist(loaded, limit), fmt)
    if output is None or str(output) == "-":
        write_stdout(text.encode("utf-8"))
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}.", err=True)


class _ProgressBar:
    """Click's progress bar on stderr, for builds big enough to take a moment, and only when
    stderr is a terminal (never in pipes, logs or CI)."""

    THRESHOLD = 5000

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None
        self.done = 0

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < self.THRESHOLD:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Writing notes", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _deckcount(decks: Sequence[Deck]) -> int:
    """Decks of questions as Anki counts them: files naming the same deck fill one deck (a deck
    that only has a description, such as the top deck, holds no question)."""
    from ..sources.rules import deck_key

    return len({deck_key(deck.name) for deck in decks if deck.questions})


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"
