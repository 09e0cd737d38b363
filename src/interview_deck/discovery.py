"""Which files a selection reads: deck files found in the paths and folders given."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import Problem

YAML_SUFFIXES = (".yaml", ".yml")


def is_deck_file_name(name: str) -> bool:
    """Whether a file called ``name`` in a searched folder is a deck file: ``.yaml`` or
    ``.yml``, and not hidden (editor leftovers such as ``.#deck.yaml`` lock links or
    ``.deck.yaml.swp`` swap files start with a dot; ``deck.yaml~`` has another suffix)."""
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in YAML_SUFFIXES


def find_sources(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the YAML files to read, sorted within each folder.

    Nothing here opens a file: a FIFO or device is reported, never read (it could hang)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            problems.append(Problem(str(path), 0, 0, "no such file or folder"))
            continue
        except OSError as error:
            problems.append(Problem(str(path), 0, 0, f"cannot read: {error.strerror or error}"))
            continue
        if stat.S_ISDIR(mode):
            found, unreadable = yaml_files_in(path)
            problems.extend(Problem(str(folder), 0, 0, f"cannot read folder: {reason}")
                            for folder, reason in unreadable)
            if not found and not unreadable:
                problems.append(Problem(str(path), 0, 0, "folder has no .yaml or .yml files"))
            files.extend(found)
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, 0, "not a regular file or folder"))
    unique: list[Path] = []
    seen: set[str] = set()
    for file in files:
        key = os.path.realpath(file)  # never raises, even on a symlink loop
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, problems


def yaml_files_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The deck files below ``folder``, sorted, and the subfolders that could not be read.

    Symlinked subfolders are followed, each real folder once (no loops); hidden folders
    (``.git``) are skipped. A symlink loop or FIFO named like a deck file is listed: reading it
    reports it as one located problem."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    visited: set[tuple[int, int]] = set()

    def note(error: OSError) -> None:
        unreadable.append((Path(error.filename or folder), error.strerror or str(error)))

    for root, dirs, names in os.walk(folder, onerror=note, followlinks=True):
        try:
            info = os.stat(root)
        except OSError as error:
            unreadable.append((Path(root), error.strerror or str(error)))
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in visited:
            dirs[:] = []  # reached again through a symlink: already read
            continue
        visited.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        found.extend(Path(root) / name for name in names if is_deck_file_name(name))
    return sorted(found), unreadable
