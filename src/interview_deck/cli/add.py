"""The add command: a question of your own, asked for part by part (see ``parts``), checked,
and appended to a deck file."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..parts import PARTS, QUESTION_KEYS, REQUIRED_KEYS
from .app import PathType, completes, main, reports_errors

if TYPE_CHECKING:
    from pathlib import Path

F = TypeVar("F", bound=Callable[..., Any])


def part_options(command: F) -> F:
    """One ``add`` option per part of a question (``parts``), the id first; lists repeat."""
    for key in reversed(QUESTION_KEYS):
        part = PARTS[key]
        if key == "id":
            help_text = "The question's id [default: made from the question]."
        else:
            help_text = part.help.removesuffix(" Optional.")
        if part.kind == "list":
            help_text = help_text.removesuffix(".") + " (repeatable)."
        command = click.option(part.option, key, multiple=part.kind == "list",
                               shell_complete=completes("tags") if key == "tags" else None,
                               help=help_text)(command)
    return command


@main.command()
@part_options
@click.option("--deck", "deck_name", shell_complete=completes("decks"),
              help="Deck name, when this creates the file "
                                          "[default: Interview Questions::My Questions].")
@click.option("--file", "target", type=PathType(dir_okay=False),
              shell_complete=completes("deck_files"),
              help="The deck file to add to [default: my-questions.yaml in your personal "
                   "folder].")
@click.option("--personal", type=PathType(file_okay=False),
              help="Your personal folder [default: see 'interview-deck where'].")
@reports_errors
def add(deck_name: str | None, target: Path | None, personal: Path | None,
        **given: Any) -> None:
    """Add a question of your own to a personal deck file.

    In a terminal, it asks for whatever the options do not give. The file is checked before it
    is written, and the new question is appended without touching the rest of the file.

    \b
    Examples:
      interview-deck add
      interview-deck add --question "What does on-call look like?" \\
          --purpose "how often you would be paged" --tag operations \\
          --red-flag "nobody can say how often"
    """
    from ..apkg.revisions import default_ledger_path
    from ..model import Question
    from ..output import refuse_inputs
    from ..paths import default_personal_file
    from ..selection import Selection
    from ..sources.authoring import add_question, ids_in, unique_id

    file = target or default_personal_file(personal)
    refuse_inputs(file, [default_ledger_path()], "the revisions ledger")
    # A personal folder that does not exist yet is what `add` is about to create.
    exists = personal is None or personal.is_dir()
    others = Selection(personal=exists, personal_folder=personal if exists else None)
    taken = others.defined_ids() | ids_in(file)
    interactive = _interactive()
    required = [key for key in REQUIRED_KEYS if key != "id"]  # an id is made when not given
    if not interactive and any(given[key] is None for key in required):
        options = " and ".join(PARTS[key].option for key in required)
        raise click.UsageError(f"{options} are required when not run in a terminal")
    # Each answer is checked as it is given: a slip means asking again, not losing the rest.
    chosen = given["id"] is not None
    for key in (*QUESTION_KEYS[1:], "id"):
        part = PARTS[key]
        if given[key] or not interactive:
            continue
        if key == "id":
            given[key] = _ask(part.prompt, _id_check(taken),
                              unique_id(given["question"], taken))
            chosen = False  # the suggestion may be taken meanwhile by another add
        elif key == "tags":
            given[key] = tuple(_ask(part.prompt, _tags_check, "").split())
        elif part.kind == "list":
            given[key] = tuple(_prompt_list(part.prompt, key))
        else:
            given[key] = _ask(part.prompt, _text_check(key, part.required),
                              None if part.required else "")
    values: dict[str, Any] = {
        key: tuple(item.strip() for item in value) if PARTS[key].kind == "list"
        else (value or "").strip() for key, value in given.items()}
    values["id"] = values["id"] or unique_id(values["question"], taken)
    new = Question(**values)
    added = add_question(file, new, sources=others.sources(), taken=taken,
                         deck_name=deck_name, id_chosen=chosen)
    new = added.question
    click.echo(f"Added '{new.id}' to {file}.", err=True)
    same = [q.id for deck in added.decks for q in deck.questions
            if q.id != new.id and " ".join(q.question.split()).casefold()
            == " ".join(new.question.split()).casefold()]
    if same:
        click.echo(f"warning: '{same[0]}' asks the same question; remove one of the two if "
                   "that was not on purpose", err=True)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(text: str, check: Callable[[str], str | None], default: str | None = None) -> str:
    """Ask until the answer passes ``check`` (which returns what is wrong, or None)."""
    while True:
        try:
            answer: str = click.prompt(text, default=default, show_default=bool(default))
        except UnicodeDecodeError:
            click.echo("Error: that was not UTF-8 text; type it again", err=True)
            continue
        problem = check(answer.strip())
        if problem is None:
            return answer
        click.echo(f"Error: {problem}; try again", err=True)


def _text_check(label: str, required: bool = False) -> Callable[[str], str | None]:
    from ..sources.rules import blank_problem

    def check(value: str) -> str | None:
        if not value and not required:
            return None
        return blank_problem(label, value)

    return check


def _tags_check(value: str) -> str | None:
    from ..sources.rules import duplicates, tag_problem

    for tag in value.split():
        if (problem := tag_problem(tag)) is not None:
            return problem
    repeated = duplicates(value.split())
    return f"tag '{repeated[0]}' is listed twice" if repeated else None


def _id_check(taken: set[str]) -> Callable[[str], str | None]:
    from ..sources.rules import id_problem

    def check(value: str) -> str | None:
        if value in taken:
            return f"id '{value}' is already used by another question"
        return id_problem(value)

    return check


def _prompt_list(text: str, label: str) -> list[str]:
    items = []
    while item := _ask(text, _text_check(label), "").strip():
        items.append(item)
    return items
