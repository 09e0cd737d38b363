"""The sync command: the plan, then Anki's own import, prune and moves (see ``sync``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from .app import PathType, main, reports_errors, selection_options

if TYPE_CHECKING:
    from pathlib import Path

    from ..selection import Selection


@main.command()
@selection_options(filters=True)
@click.option("--collection", type=PathType(dir_okay=False),
              help="The Anki collection file (collection.anki2) [default: the profile's].")
@click.option("--base", type=PathType(file_okay=False),
              help="Anki's folder of profiles [default: Anki's own, e.g. ~/.local/share/Anki2].")
@click.option("--profile", help="The Anki profile [default: the only one].")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--prune", type=click.Choice(["suspend", "delete"]),
              help="Suspend or delete notes sync made whose question left the sources "
                   "[default: list them]. Never touches a note you added in Anki or from "
                   "another package, nor one whose deck file exists but was not read.")
@click.option("--overwrite", multiple=True, metavar="ID|DECK",
              help="Let the YAML win over an edit made in Anki: a question id, or a deck name "
                   "for its description [default: keep your edits]. Repeatable.")
@click.option("--overwrite-all", is_flag=True,
              help="Let the YAML win over every edit made in Anki.")
@click.option("--move-cards", is_flag=True,
              help="Move our cards to the deck their YAML names now.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and result as JSON.")
@click.option("--revisions", "ledger", type=PathType(dir_okay=False),
              help="Ledger of when each question last changed [default: see "
                   "'interview-deck where'].")
@reports_errors
def sync(selection: Selection, collection: Path | None, base: Path | None,
         profile: str | None, dry_run: bool, prune: str | None, overwrite: tuple[str, ...],
         overwrite_all: bool, move_cards: bool, as_json: bool, ledger: Path | None) -> None:
    """Bring your Anki collection in step with the decks: import, prune and move, with a plan.

    Prints what it would add, update, or keep because you edited it in Anki, which notes it
    made left the sources, and which cards are in another deck than their YAML says; then
    (without --dry-run) makes a backup of its own with Anki's backups and applies it. Your
    edits, your tags and your own notes are kept; sync remembers in the collection what it
    put there. Close Anki first (a dry run works with Anki open; to import while it runs, use
    build --open). Needs the anki package: pip install '.[sync]' from a clone,
    or pip install anki.

    \b
    Examples:
      interview-deck sync --dry-run
      interview-deck sync --prune suspend --move-cards
      interview-deck sync --profile "User 1" --tag culture
    """
    from ..collection import report as sync_text
    from ..collection.apply import sync as run_sync
    from ..collection.locate import find_collection, require_anki
    from ..errors import InterviewDeckError

    if collection is not None and (base is not None or profile is not None):
        raise click.UsageError("--collection names the file itself; leave out --base and "
                               "--profile")
    try:
        require_anki()
        path = find_collection(collection, base, profile)
    except InterviewDeckError as error:
        if as_json:
            click.echo(sync_text.error_json(error))
        raise

    def show_plan(plan: Any) -> None:
        if not as_json:
            click.echo(f"Collection: {path}")
            click.echo(sync_text.plan_text(plan, prune=prune, move_cards=move_cards))

    def show_backup(backup: Path) -> None:
        if not as_json:
            click.echo(f"Backup: {backup}")

    from ..collection.locate import open_elsewhere

    if dry_run and open_elsewhere(path):
        click.echo("note: Anki has this collection open; the plan is read from a copy taken "
                   "just now (changes you make in Anki meanwhile are not in it)", err=True)
    try:
        report = run_sync(selection, path, dry_run=dry_run, prune=prune,
                          move_cards=move_cards, ledger=ledger, overwrite=overwrite,
                          overwrite_all=overwrite_all, hold_interrupts=True,
                          on_plan=show_plan,
                          on_backup=show_backup)
    except InterviewDeckError as error:
        if as_json:  # scripts get an answer on stdout too; the message still goes to stderr
            click.echo(sync_text.error_json(error))
        raise
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        import json

        data = {"collection": str(report.collection), "dry_run": dry_run,
                "applied": report.applied, **report.plan.as_json(),
                "backup": str(report.backup) if report.backup else None,
                "imported": report.imported or None, "pruned": report.pruned or None,
                "pruned_notes": report.pruned_notes, "moved_cards": report.moved_cards,
                "interrupted": report.held is not None and report.held.arrived(),
                "warnings": list(report.warnings)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        if report.applied:
            click.echo(sync_text.done_text(report))
        elif dry_run:
            click.echo("Dry run: nothing changed.")
        elif not report.plan.refusal:
            click.echo(sync_text.idle_text(report.plan, prune=prune, move_cards=move_cards))
    # Held since the commit, so that a change made is always reported; dropped now.
    if report.held is not None and report.held.release():
        click.echo("note: interrupted after the change was committed; it is complete",
                   err=True)
    if report.plan.refusal:
        click.echo(f"error: refused: {report.plan.refusal}", err=True)
        sys.exit(1)
