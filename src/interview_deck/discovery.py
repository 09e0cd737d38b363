"""Which files a selection reads: deck files found in the paths and folders given."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import Problem

YAML_SUFFIXES = (".yaml", ".yml")


def find_sources(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into the YAML files to read, sorted within each folder."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            is_dir, is_file, exists = path.is_dir(), path.is_file(), path.exists()
        except OSError as error:
            problems.append(Problem(str(path), 0, 0, f"cannot read: {error.strerror or error}"))
            continue
        if is_dir:
            found, unreadable = yaml_files_in(path)
            problems.extend(Problem(str(folder), 0, 0, f"cannot read folder: {reason}")
                            for folder, reason in unreadable)
            if not found and not unreadable:
                problems.append(Problem(str(path), 0, 0, "folder has no .yaml or .yml files"))
            files.extend(found)
        elif is_file:
            files.append(path)
        elif exists:
            problems.append(Problem(str(path), 0, 0, "not a regular file or folder"))
        else:
            problems.append(Problem(str(path), 0, 0, "no such file or folder"))
    unique: list[Path] = []
    seen: set[Path] = set()
    for file in files:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, problems


def yaml_files_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The deck files below ``folder``, sorted, and the subfolders that could not be read."""
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []

    def note(error: OSError) -> None:
        unreadable.append((Path(error.filename or folder), error.strerror or str(error)))

    for root, dirs, names in os.walk(folder, onerror=note):
        dirs.sort()
        found.extend(Path(root) / name for name in names
                     if Path(name).suffix.lower() in YAML_SUFFIXES)
    return sorted(found), unreadable
