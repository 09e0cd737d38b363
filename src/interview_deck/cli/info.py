"""The commands that tell: where (folders and the ledger) and schema (the deck files' JSON
Schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .app import PathType, count, main, reports_errors

if TYPE_CHECKING:
    from pathlib import Path


@main.command()
@click.option("--personal", type=PathType(),
              help="Show this folder as your personal folder.")
@reports_errors
def where(personal: Path | None) -> None:
    """Show where interview-deck reads decks and records revisions.

    \b
    Examples:
      interview-deck where
      INTERVIEW_DECK_PERSONAL_DIR=~/decks interview-deck where
    """
    from ..apkg.revisions import default_ledger_path
    from ..paths import bundled_decks_dir, personal_dir

    folder = personal or personal_dir()
    state = _folder_state(folder)
    click.echo(f"bundled decks:  {bundled_decks_dir()}")
    click.echo(f"personal decks: {folder} ({state})")
    click.echo(f"revisions:      {default_ledger_path()}")


@main.command()
@click.option("--path", "show_path", is_flag=True, help="Print where the schema file is instead.")
@reports_errors
def schema(show_path: bool) -> None:
    """Print the JSON Schema of deck files, for editor completion and checks.

    Save it beside your deck and add this first line to the YAML file:

    \b
      # yaml-language-server: $schema=deck.schema.json

    \b
    Examples:
      interview-deck schema > deck.schema.json
      interview-deck schema --path
    """
    from ..paths import schema_path

    if show_path:
        click.echo(str(schema_path()))
    else:
        click.echo(schema_path().read_text(encoding="utf-8"), nl=False)


def _folder_state(folder: Path) -> str:
    """What is at ``folder``, truthfully: missing, not a folder, unreadable, or its deck files."""
    import os
    import stat

    from ..sources.loading import yaml_files_in

    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        if os.path.islink(folder):
            return f"a broken symbolic link to {os.readlink(folder)}; fix or remove it"
        return "not created yet; 'interview-deck add' creates it"
    except OSError as error:
        return f"cannot read it: {error.strerror}"
    if not stat.S_ISDIR(mode):
        return "not a folder but a file; move it away or choose another folder"
    try:
        os.listdir(folder)
    except OSError as error:
        return f"cannot read it: {error.strerror}"
    found, unreadable = yaml_files_in(folder)
    state = count(len(found), "deck file")
    if unreadable:
        state += (f"; {count(len(unreadable), 'problem')} there ('interview-deck check' "
                  "lists them)")
    return state
