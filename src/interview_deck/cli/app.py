"""The command group and what every command shares: selection options, path types, and
turning the library's errors, interrupts and closed outputs into messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from pathlib import Path

F = TypeVar("F", bound=Callable[..., Any])


class PathType(click.Path):
    """click.Path giving a pathlib.Path, imported only when a command runs (fast --help)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        import os
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


def completes(what: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """Tab completion from the decks (see completion.py), imported only when the shell asks."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
        from . import completion

        found: list[str] = getattr(completion, what)(ctx, incomplete)
        return found

    return complete


def selection_options(*, filters: bool) -> Callable[[F], F]:
    """PATHS, --no-bundled, --personal/--no-personal (and --tag/--skip-tag/--deck), as one
    `selection`."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, paths: tuple[Path, ...], no_bundled: bool,
                    personal: Path | None, no_personal: bool, tags: tuple[str, ...] = (),
                    skip_tags: tuple[str, ...] = (), decks: tuple[str, ...] = (),
                    **kwargs: Any) -> Any:
            from ..selection import Selection

            selection = Selection(paths, bundled=not no_bundled, personal=not no_personal,
                                  personal_folder=personal, tags=tags, decks=decks,
                                  skip_tags=skip_tags)
            return command(*args, selection=selection, **kwargs)

        options = [
            click.argument("paths", nargs=-1, type=PathType()),
            click.option("--no-bundled", is_flag=True,
                         help="Leave out the bundled decks (a deck entirely your own)."),
            click.option("--personal", type=PathType(file_okay=False),
                         help="Your personal folder of deck files [default: see "
                              "'interview-deck where']."),
            click.option("--no-personal", is_flag=True, help="Leave out your personal folder."),
        ]
        if filters:
            options += [
                click.option("--tag", "tags", multiple=True, shell_complete=completes("tags"),
                             help="Only questions with this tag (repeat for several)."),
                click.option("--skip-tag", "skip_tags", multiple=True, metavar="TAG",
                             shell_complete=completes("tags"),
                             help="Leave out questions with this tag, e.g. role::engineering "
                                  "(repeat for several)."),
                click.option("--deck", "decks", multiple=True,
                             shell_complete=completes("decks"),
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
    shows = command.__name__ in _SHOWS_ON_STDOUT

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import DeckError, InterviewDeckError
        from ..output import written

        if shows:
            _need_stdout()
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
            _report_abort(written()[before:])
        except OSError as error:
            if error.filename is not None or error.errno not in _STREAM_ERRORS:
                raise
            _drop_stdout()
            if error.errno != _EPIPE:  # a reader that stopped (`| head`) is no error to report
                click.echo(f"error: cannot write the output: {error.strerror}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# Commands whose result is what they print: with stdout closed (`>&-`) they would say nothing.
_SHOWS_ON_STDOUT = ("check", "list_questions", "where", "schema")


def _need_stdout() -> None:
    if sys.stdout is None:
        click.echo("error: standard output is closed; nothing can be shown", err=True)
        sys.exit(1)


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
    """The command group. Click's own standalone handling, with two differences: an interrupt
    that lands outside a command (after it finished its work, say) still says what changed,
    and help or version text on a full disk is a message, too."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        call = functools.partial(super().main, args, prog_name, complete_var, False, **extra)
        if not standalone_mode:
            return call()
        from ..output import written

        before = len(written())
        try:
            result: Any = call()
        except click.Abort:  # Click turns an interrupt anywhere in its run into Abort
            _report_abort(written()[before:])
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except OSError as error:
            if error.filename is not None or error.errno not in _STREAM_ERRORS:
                raise
            _drop_stdout()
            if error.errno != _EPIPE:
                click.echo(f"error: cannot write the output: {error.strerror}", err=True)
            sys.exit(1)
        # Without standalone mode Click returns --help's and --version's exit code (0).
        sys.exit(result if isinstance(result, int) else 0)


def _report_abort(changed: Sequence[Path]) -> NoReturn:
    """Say what an interrupted run had already written (or that it changed nothing); exit 1."""
    if changed:
        names = ", ".join(str(path) for path in changed)
        click.echo(f"Aborted! Already written: {names}.", err=True)
    else:
        click.echo("Aborted! Nothing was changed.", err=True)
    sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
              help="Show the versions of interview-deck, Python and its libraries, and exit.")
def main() -> None:
    """Turn interview questions into Anki flashcards that keep your reviews across updates.

    \b
    Build the bundled decks, then import them in Anki (File > Import):
      interview-deck build
    """
    _interrupt_on_signals()




def _print_version(ctx: click.Context) -> None:
    from ..versions import version_report

    _need_stdout()
    click.echo(version_report())
    ctx.exit()


def count(number: int, noun: str) -> str:
    """``3 cards``, ``1 card``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
