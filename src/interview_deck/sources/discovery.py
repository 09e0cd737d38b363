"""Which files a selection reads: deck files found in the paths and folders given."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem

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
            problems.extend(Problem(str(where), 0, 0, message) for where, message in unreadable)
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


MAX_DEPTH = 200
"""Folders nested deeper than this below a searched folder are reported, not read."""


def folder_problem(folder: Path) -> Problem | None:
    """What makes ``folder`` unusable as a folder of decks (it is a file, a symlink loop, a
    dangling symlink...), or None when it is a folder or nothing at all (not created yet)."""
    try:
        mode = os.stat(folder).st_mode
    except FileNotFoundError:
        if os.path.islink(folder):
            return Problem(str(folder), 0, 0, _broken_link(folder))
        return None
    except (OSError, ValueError) as error:
        return Problem(str(folder), 0, 0,
                       f"cannot read: {getattr(error, 'strerror', None) or error}")
    if not stat.S_ISDIR(mode):
        return Problem(str(folder), 0, 0, "not a folder; the personal folder must be a folder "
                       "of deck files (move this away or choose another folder)")
    return None


def _broken_link(path: Path) -> str:
    return (f"broken symbolic link: its target {os.readlink(path)} does not exist; "
            "fix or remove the link")


def yaml_files_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The deck files below ``folder``, sorted, and what could not be read there: each as a
    path and a message (an unreadable subfolder, a broken or looping symlink).

    Symlinked subfolders are followed, each real folder once (no loops); hidden folders
    (``.git``) and hidden names are skipped. A symlink loop or FIFO named like a deck file is
    listed: reading it reports it as one located problem. The walk is iterative, so any depth
    is safe; folders more than MAX_DEPTH levels down are reported, not read."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    visited: set[tuple[int, int]] = set()
    pending: list[tuple[Path, int]] = [(folder, 0)]
    while pending:
        root, depth = pending.pop()
        try:
            info = os.stat(root)
            if (info.st_dev, info.st_ino) in visited:
                continue  # reached again through a symlink: already read
            visited.add((info.st_dev, info.st_ino))
            with os.scandir(root) as entries:
                listed = list(entries)
        except OSError as error:
            unreadable.append((root, f"cannot read folder: {error.strerror or error}"))
            continue
        subfolders: list[Path] = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            path = root / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(path)
            elif is_deck_file_name(entry.name):
                found.append(path)
            elif entry.is_symlink():
                try:
                    os.stat(path)
                except FileNotFoundError:
                    unreadable.append((path, _broken_link(path)))
                except OSError as error:
                    unreadable.append((path, f"cannot read: {error.strerror or error}"))
        if subfolders and depth >= MAX_DEPTH:
            unreadable.append((root, f"folders nested too deep (more than {MAX_DEPTH} "
                                     "levels); not read"))
            continue
        pending.extend((path, depth + 1) for path in sorted(subfolders, reverse=True))
    return sorted(found), sorted(unreadable)
