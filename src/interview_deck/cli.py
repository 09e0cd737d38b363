"""The ``interview-deck`` command: arguments in, library calls, messages out. Nothing else."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .parts import PARTS, QUESTION_KEYS, REQUIRED_KEYS

if TYPE_CHECKING:
    from pathlib import Path

    from .build import Selection
    from .model import Deck

F = TypeVar("F", bound=Callable[..., Any])

class _PathType(click.Path):
    """click.Path giving a pathlib.Path, imported only when a command runs (fast --help)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        import os
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


def _completes(what: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """Tab completion from the decks (see completion.py), imported only when the shell asks."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
        from . import completion

        found: list[str] = getattr(completion, what)(ctx, incomplete)
        return found

    return complete


def selection_options(*, filters: bool) -> Callable[[F], F]:
    """PATHS, --no-bundled, --personal/--no-personal (and --tag/--deck), as one `selection`."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, paths: tuple[Path, ...], no_bundled: bool,
                    personal: Path | None, no_personal: bool, tags: tuple[str, ...] = (),
                    decks: tuple[str, ...] = (), **kwargs: Any) -> Any:
            from .build import Selection

            selection = Selection(paths, bundled=not no_bundled, personal=not no_personal,
                                  personal_folder=personal, tags=tags, decks=decks)
            return command(*args, selection=selection, **kwargs)

        options = [
            click.argument("paths", nargs=-1, type=_PathType()),
            click.option("--no-bundled", is_flag=True,
                         help="Leave out the bundled decks (a deck entirely your own)."),
            click.option("--personal", type=_PathType(file_okay=False),
                         help="Your personal folder of deck files [default: see "
                              "'interview-deck where']."),
            click.option("--no-personal", is_flag=True, help="Leave out your personal folder."),
        ]
        if filters:
            options += [
                click.option("--tag", "tags", multiple=True, shell_complete=_completes("tags"),
                             help="Only questions with this tag (repeat for several)."),
                click.option("--deck", "decks", multiple=True,
                             shell_complete=_completes("decks"),
                             help="Only this deck and its subdecks (repeat for several)."),
            ]
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


limit_option = click.option(
    "--limit", type=click.IntRange(min=1), metavar="N",
    help="At most N questions: one per topic before a second from any; always the same ones.")


def reports_errors(command: F) -> F:
    """Turn the library's errors into `path:line:col: message` lines on stderr and exit 1;
    an interrupt says what it changed; a full disk or closed pipe on stdout is a message."""
    writes = command.__name__ == "build"

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import DeckError, InterviewDeckError
        from .output import written

        before = len(written())
        try:
            return command(*args, **kwargs)
        except DeckError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            note = "; nothing written." if writes else "."
            click.echo(f"{error.summary()}{note}", err=True)
            sys.exit(1)
        except InterviewDeckError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        except (KeyboardInterrupt, click.Abort):
            changed = written()[before:]
            if changed:
                names = ", ".join(str(path) for path in changed)
                click.echo(f"Aborted! Already written: {names}.", err=True)
            else:
                click.echo("Aborted! Nothing was changed.", err=True)
            sys.exit(1)
        except OSError as error:
            if error.filename is not None or error.errno not in _STREAM_ERRORS:
                raise
            _drop_stdout()
            if error.errno != _EPIPE:  # a reader that stopped (`| head`) is no error to report
                click.echo(f"error: cannot write the output: {error.strerror}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# Writing to a full disk, a closed pipe, a lost terminal: the output stream, not a bug.
_EPIPE = 32
_STREAM_ERRORS = (5, _EPIPE, 28, 122)  # EIO, EPIPE, ENOSPC, EDQUOT


def _drop_stdout() -> None:
    """Point stdout at the null device, so Python's final flush does not fail again."""
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _interrupt_on_signals() -> None:
    """SIGTERM and SIGHUP stop a run the way Ctrl-C does: temp files cleaned, nothing half
    written, and a message saying what changed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


class _Group(click.Group):
    """The command group; help and version text on a full disk is a message, too."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except OSError as error:
            if error.filename is not None or error.errno not in _STREAM_ERRORS:
                raise
            _drop_stdout()
            if error.errno != _EPIPE:
                click.echo(f"error: cannot write the output: {error.strerror}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
              help="Show the versions of interview-deck, Python and its libraries, and exit.")
def main() -> None:
    """Turn interview questions into Anki flashcards that keep your reviews across updates.

    \b
    Build the bundled decks of questions to ask, then import them in Anki (File > Import):
      interview-deck build
    """
    _interrupt_on_signals()


@main.command()
@selection_options(filters=True)
@click.option("-o", "--output", type=_PathType(dir_okay=False),
              default="interview-questions.apkg", show_default=True,
              help="Where to write the Anki package.")
@click.option("--revisions", "ledger", type=_PathType(dir_okay=False),
              help="Ledger of when each question last changed [default: see "
                   "'interview-deck where'].")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems and warnings.")
@reports_errors
def build(selection: Selection, output: Path, ledger: Path | None, quiet: bool) -> None:
    """Build an Anki package from the bundled decks, your personal folder, and PATHS.

    PATHS are YAML deck files or folders. Import the result in Anki with File > Import;
    importing a newer build updates the same notes and keeps your reviews.

    \b
    Examples:
      interview-deck build
      interview-deck build my-questions.yaml -o interviews.apkg
      interview-deck build --no-bundled my-decks/
      interview-deck build --tag culture --tag growth
    """
    from .build import build as run_build

    with _ProgressBar(enabled=not quiet) as progress:
        report = run_build(selection, output, ledger=ledger, progress=progress.update)
    from .rules import deck_warnings

    for warning in (*deck_warnings(report.decks), *report.warnings):
        click.echo(f"warning: {warning}", err=True)
    if quiet:
        return
    result = report.result
    click.echo(
        f"Wrote {result.path}: {_count(result.decks, 'deck')}, {_count(result.notes, 'note')}, "
        f"{_count(result.cards, 'card')} ({_size(result.size)})."
    )
    click.echo("Import it in Anki with File > Import; re-importing updates the same notes.")


@main.command()
@selection_options(filters=True)
@click.option("--collection", type=_PathType(dir_okay=False),
              help="The Anki collection file (collection.anki2) [default: the profile's].")
@click.option("--base", type=_PathType(file_okay=False),
              help="Anki's folder of profiles [default: Anki's own, e.g. ~/.local/share/Anki2].")
@click.option("--profile", help="The Anki profile [default: the only one].")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--prune", type=click.Choice(["suspend", "delete"]),
              help="Suspend or delete our notes whose question left the sources "
                   "[default: list them]; needs every source (refused with --no-bundled, "
                   "--no-personal or another --personal).")
@click.option("--move-cards", is_flag=True,
              help="Move our cards to the deck their YAML names now.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan and result as JSON.")
@click.option("--revisions", "ledger", type=_PathType(dir_okay=False),
              help="Ledger of when each question last changed [default: see "
                   "'interview-deck where'].")
@reports_errors
def sync(selection: Selection, collection: Path | None, base: Path | None,
         profile: str | None, dry_run: bool, prune: str | None, move_cards: bool,
         as_json: bool, ledger: Path | None) -> None:
    """Bring your Anki collection in step with the decks: import, prune and move, with a plan.

    Prints what an import would add, update, skip or cannot update, which of our notes left
    the sources, and which cards are in another deck than their YAML says; then (without
    --dry-run) backs the collection up with Anki's own backups and applies it. Close Anki
    first. Needs the anki package: pip install '.[sync]' from a clone, or pip install anki.

    \b
    Examples:
      interview-deck sync --dry-run
      interview-deck sync --prune suspend --move-cards
      interview-deck sync --profile "User 1" --tag culture
    """
    from . import sync_text
    from .collection import find_collection, require_anki
    from .errors import InterviewDeckError
    from .sync import sync as run_sync

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

    try:
        report = run_sync(selection, path, dry_run=dry_run, prune=prune,
                          move_cards=move_cards, ledger=ledger, on_plan=show_plan,
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
                "warnings": list(report.warnings)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        if report.applied:
            click.echo(sync_text.done_text(report))
        elif dry_run:
            click.echo("Dry run: nothing changed.")
        elif not report.plan.refusal:
            click.echo(sync_text.idle_text(report.plan, prune=prune, move_cards=move_cards))
    if report.plan.refusal:
        click.echo(f"error: refused: {report.plan.refusal}", err=True)
        sys.exit(1)


@main.command()
@selection_options(filters=False)
@reports_errors
def check(selection: Selection) -> None:
    """Check the decks a build would use, without writing anything.

    Every problem in every file is printed as path:line:column: message on stderr, and the
    exit code is 1; a clean check prints a one-line summary.

    \b
    Examples:
      interview-deck check my-questions.yaml
      interview-deck check --no-bundled my-decks/
    """
    from .rules import deck_warnings

    decks = selection.load()
    for warning in deck_warnings(decks):
        click.echo(f"warning: {warning}", err=True)
    total = sum(len(deck.questions) for deck in decks)
    files = len({deck.file for deck in decks})
    click.echo(f"No problems: {_count(total, 'question')} in "
               f"{_count(_deck_count(decks), 'deck')} from {_count(files, 'file')}.")


@main.command(name="list")
@selection_options(filters=True)
@reports_errors
def list_questions(selection: Selection) -> None:
    """List the questions a build would include, as a table.

    \b
    Examples:
      interview-deck list
      interview-deck list my-questions.yaml
      interview-deck list --tag culture
    """
    click.echo(_table(selection.load()))


@main.command()
@selection_options(filters=True)
@click.option("-o", "--output", type=_PathType(dir_okay=False),
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
    from .cards import CardTemplates, note_cards
    from .output import refuse_inputs, write_atomically, write_stdout
    from .preview import preview_html
    from .shortlist import shortlist

    to_stdout = str(output) == "-"
    if not to_stdout:
        refuse_inputs(output, selection.input_files())
    decks = shortlist(selection.load(), limit)
    page = preview_html(decks).encode("utf-8")
    notes = sum(len(deck.questions) for deck in decks)
    style = CardTemplates.load()
    cards = sum(len(note_cards(q, deck, templates=style)) for deck in decks for q in deck.questions)
    if to_stdout:
        write_stdout(page)
        click.echo(f"Wrote the page: {_count(notes, 'note')}, {_count(cards, 'card')}.",
                   err=True)
        return
    write_atomically(output, page)
    click.echo(f"Wrote {output}: {_count(notes, 'note')}, {_count(cards, 'card')}.")
    if open_page and click.launch(str(output.resolve())) != 0:
        click.echo(f"warning: could not open a browser; open {output} yourself", err=True)


@main.command()
@selection_options(filters=True)
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "csv"]),
              default="markdown", show_default=True,
              help="markdown or html: a cheat sheet by topic; csv: Anki's text-import format.")
@click.option("-o", "--output", type=_PathType(dir_okay=False),
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
    """
    from .export import export as render_export
    from .output import refuse_inputs, write_atomically, write_stdout
    from .shortlist import shortlist

    if output is not None and str(output) != "-":
        refuse_inputs(output, selection.input_files())
    text = render_export(shortlist(selection.load(), limit), fmt)
    if output is None or str(output) == "-":
        write_stdout(text.encode("utf-8"))
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}.", err=True)


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
                               shell_complete=_completes("tags") if key == "tags" else None,
                               help=help_text)(command)
    return command


@main.command()
@part_options
@click.option("--deck", "deck_name", shell_complete=_completes("decks"),
              help="Deck name, when this creates the file "
                                          "[default: Interview Questions::My Questions].")
@click.option("--file", "target", type=_PathType(dir_okay=False),
              shell_complete=_completes("deck_files"),
              help="The deck file to add to [default: my-questions.yaml in your personal "
                   "folder].")
@click.option("--personal", type=_PathType(file_okay=False),
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
    from .authoring import add_question, ids_in, unique_id
    from .build import Selection
    from .model import Question
    from .paths import default_personal_file

    file = target or default_personal_file(personal)
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
    click.echo(f"Added '{new.id}' to {file}.")
    same = [q.id for deck in added.decks for q in deck.questions
            if q.id != new.id and " ".join(q.question.split()).casefold()
            == " ".join(new.question.split()).casefold()]
    if same:
        click.echo(f"warning: '{same[0]}' asks the same question; remove one of the two if "
                   "that was not on purpose", err=True)


def _print_version(ctx: click.Context) -> None:
    from .versions import version_report

    click.echo(version_report())
    ctx.exit()


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
    from .rules import blank_problem

    def check(value: str) -> str | None:
        if not value and not required:
            return None
        return blank_problem(label, value)

    return check


def _tags_check(value: str) -> str | None:
    from .rules import duplicates, tag_problem

    for tag in value.split():
        if (problem := tag_problem(tag)) is not None:
            return problem
    repeated = duplicates(value.split())
    return f"tag '{repeated[0]}' is listed twice" if repeated else None


def _id_check(taken: set[str]) -> Callable[[str], str | None]:
    from .rules import id_problem

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


@main.command()
@click.option("--personal", type=_PathType(),
              help="Show this folder as your personal folder.")
@reports_errors
def where(personal: Path | None) -> None:
    """Show where interview-deck reads decks and records revisions.

    \b
    Examples:
      interview-deck where
      INTERVIEW_DECK_PERSONAL_DIR=~/decks interview-deck where
    """
    from .paths import bundled_decks_dir, personal_dir
    from .revisions import default_ledger_path

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
    from .paths import schema_path

    if show_path:
        click.echo(str(schema_path()))
    else:
        click.echo(schema_path().read_text(encoding="utf-8"), nl=False)


def _folder_state(folder: Path) -> str:
    """What is at ``folder``, truthfully: missing, not a folder, unreadable, or its deck files."""
    import os
    import stat

    from .sources import yaml_files_in

    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
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
    state = _count(len(found), "deck file")
    if unreadable:
        state += f"; cannot read {_count(len(unreadable), 'subfolder')}"
    return state


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


def _table(decks: tuple[Deck, ...]) -> str:
    from .cards import CardTemplates, note_cards

    style = CardTemplates.load()
    rows = [("ID", "DECK", "TAGS", "CARDS", "QUESTION")]
    cards = 0
    for deck in decks:
        for question in deck.questions:
            kinds = [kind.key for kind in note_cards(question, deck, templates=style)]
            cards += len(kinds)
            rows.append((question.id, deck.name, ",".join(question.tags), ",".join(kinds),
                         " ".join(question.question.split())))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
             + "  " + row[4]
             for row in rows]
    total = sum(len(deck.questions) for deck in decks)
    lines.append(f"{_count(total, 'question')} in {_count(_deck_count(decks), 'deck')}, "
                 f"{_count(cards, 'card')}")
    return "\n".join(line.rstrip() for line in lines)


def _deck_count(decks: Sequence[Deck]) -> int:
    """Decks as Anki counts them: files naming the same deck fill one deck."""
    from .rules import deck_key

    return len({deck_key(deck.name) for deck in decks})


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"
