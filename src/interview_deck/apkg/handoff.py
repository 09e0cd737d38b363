"""Handing a package to the Anki desktop app, the way the system opens a file with it.

Anki started with a file imports it through its own import dialog; when Anki is already running,
the new process passes the path to the running one (aqt's single-instance socket) and exits, and
the running Anki brings its window forward and imports. Which program opens the file, in order:
``anki`` on ``PATH``; on macOS ``open -a Anki``; on Windows the ``.apkg`` file association; on
Linux and other systems ``xdg-open``, when the desktop gives ``.apkg`` files to Anki.

Anki's import reads two kinds of name as a whole-collection restore, which replaces everything
in the profile (aqt/import_export/importing.py, ``ColpkgImporter.can_import``):
``collection.apkg`` and ``backup-*.apkg``, compared in lower case. Packages are never given
those names.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import InterviewDeckError, OutputError

WAIT_SECONDS = 8.0
"""How long to wait for the program we started: a second Anki hands the path over and exits
within a few seconds; one still running then is the Anki that has just started with the file."""


_TELLING = re.compile(r"could not|cannot|can't|failed|error|denied|not found", re.IGNORECASE)


class AnkiNotFound(InterviewDeckError):
    """No program was found that opens a package in Anki."""


@dataclass(frozen=True, slots=True)
class Handoff:
    """A package given to Anki."""

    command: tuple[str, ...]
    """The command that was run (empty for Windows' file association)."""

    started: bool
    """True when the program was still running after the wait: Anki started with the file and
    imports it once a profile is open. False when it handed the file on and finished."""


def restore_name_problem(path: Path | str) -> str | None:
    """Why Anki would read a package at ``path`` as a whole-collection restore, or None."""
    name = Path(path).name
    lower = name.lower()
    if lower == "collection.apkg" or (lower.startswith("backup-") and lower.endswith(".apkg")):
        return (f"{name}: Anki's import reads a package named 'collection.apkg' or "
                "'backup-*.apkg' as a backup that replaces your whole collection; choose "
                "another name, such as interview-questions.apkg")
    return None


def openable_problem(path: Path | str) -> str | None:
    """Why the package at ``path`` could not be handed to Anki once written, or None."""
    name = Path(path).name
    if not name.lower().endswith(".apkg"):
        return (f"{name}: Anki opens packages only by the name ending '.apkg'; name the output "
                "so (or leave out --open)")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"{path}: cannot open it in Anki: {error.strerror or error}"
    if not stat.S_ISREG(mode):
        return f"{path}: is not a regular file, so Anki cannot read it as a package"
    return restore_name_problem(path)


def anki_command(path: Path) -> list[str] | None:
    """The command that opens ``path`` in Anki on this system, or None (Windows uses its file
    association, see ``open_in_anki``; None also when nothing is found)."""
    found = shutil.which("anki")
    if found is not None:
        return [found, str(path)]
    if sys.platform == "darwin":
        opener = shutil.which("open")
        return [opener, "-a", "Anki", str(path)] if opener else None
    if sys.platform == "win32":
        return None
    opener = shutil.which("xdg-open")
    if opener is None or not _desktop_gives_to_anki(path):
        return None
    return [opener, str(path)]


def _desktop_gives_to_anki(path: Path) -> bool:
    """Whether the desktop opens ``path`` with Anki (``xdg-mime``'s answer; without
    ``xdg-mime``, trust ``xdg-open``). A ``.apkg`` is a zip file: another default would
    show it in an archive manager."""
    query = shutil.which("xdg-mime")
    if query is None:
        return True
    try:
        kind = subprocess.run([query, "query", "filetype", str(path)], capture_output=True,
                              text=True, timeout=10, stdin=subprocess.DEVNULL).stdout.strip()
        if not kind:
            return False
        app = subprocess.run([query, "query", "default", kind], capture_output=True,
                             text=True, timeout=10, stdin=subprocess.DEVNULL).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return False
    return "anki" in app.lower()


def open_in_anki(path: Path | str, *, wait: float | None = None) -> Handoff:
    """Give the package at ``path`` to Anki: the running Anki imports it, or Anki starts with it.

    Raises AnkiNotFound when no program opens packages in Anki, InterviewDeckError when the
    program fails (its last line of errors is in the message) or ``path`` is no package Anki
    would import as one.
    """
    target = Path(path).absolute()
    if (problem := openable_problem(target)) is not None:
        raise InterviewDeckError(problem)
    if not target.is_file():
        raise InterviewDeckError(f"{target}: no such package to open in Anki")
    command = anki_command(target)
    if command is None:
        if sys.platform == "win32" and hasattr(os, "startfile"):
            try:
                os.startfile(target)
            except OSError as error:
                raise AnkiNotFound(f"{target}: Windows has no program for .apkg files "
                                   f"({error.strerror or error}); install Anki, or import it "
                                   "yourself with File > Import") from error
            return Handoff((), started=False)
        raise AnkiNotFound(f"{target}: no Anki found to open it ({_searched()}); import it "
                           "yourself in Anki with File > Import")
    return _run(command, target, WAIT_SECONDS if wait is None else wait)


def _searched() -> str:
    if sys.platform == "darwin":
        return "no 'anki' on PATH, and 'open -a Anki' is not available"
    if sys.platform == "win32":
        return "no 'anki' on PATH"
    return "no 'anki' on PATH, and the desktop (xdg-open) does not give .apkg files to Anki"


def _run(command: list[str], target: Path, wait: float) -> Handoff:
    # Errors go to a file, not a pipe: an Anki that keeps running must never block on (or be
    # killed by) a pipe that nobody reads once we have exited.
    with tempfile.TemporaryFile(prefix="interview-deck-open-") as errors:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=errors,
                                       start_new_session=True, cwd=target.parent)
        except OSError as error:
            raise InterviewDeckError(f"{command[0]}: cannot run it: "
                                     f"{error.strerror or error}") from error
        deadline = time.monotonic() + wait
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        code = process.poll()
        if code is None:
            # This Anki outlives us: nothing to wait for (marked done, so Python does not warn
            # about an unfinished child; the system reaps it when it exits).
            process.returncode = 0
            return Handoff(tuple(command), started=True)
        if code != 0:
            errors.seek(0)
            said = [line.strip() for line in errors.read(64 * 1024).decode(
                "utf-8", "replace").splitlines() if line.strip()]
            # The line that says what went wrong, when one does (Qt ends with a list of plugins).
            telling = [line for line in said if _TELLING.search(line)] or said
            detail = f": {telling[0]}" if telling else ""
            status = f"stopped by signal {-code}" if code < 0 else f"exit status {code}"
            raise InterviewDeckError(
                f"{target}: {Path(command[0]).name} could not open it ({status}{detail}); "
                "import it yourself in Anki with File > Import")
    return Handoff(tuple(command), started=False)


def refuse_restore_name(path: Path | str) -> None:
    """OutputError (nothing written) for a package name Anki reads as a collection restore."""
    if (problem := restore_name_problem(path)) is not None:
        raise OutputError(f"{problem}; nothing written")
