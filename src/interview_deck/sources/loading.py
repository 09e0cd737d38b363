"""YAML deck files to model objects, with every problem located by file, line and column.

The loader composes each file into YAML nodes once (libyaml's C parser when present) and builds
the model straight from those nodes, so line numbers cost nothing extra on the happy path. The
work is split by job: ``discovery`` (which files), ``parsing`` (bytes to nodes), ``builder``
(nodes to a deck) and ``overlays`` (what files do to each other); this module joins them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import DeckError, Problem
from ..model import Deck
from ..paths import bundled_decks_dir
from . import rules
from .deck_file import DEFAULT_DECK, ParsedFile, build_file, file_order
from .discovery import YAML_SUFFIXES, find_sources, yaml_files_in
from .overlays import apply_overlays, at_place, deck_conflicts, where
from .parsing import LOADER, MAX_FILE_BYTES, compose_file

__all__ = ["DEFAULT_DECK", "LOADER", "YAML_SUFFIXES", "ParsedFile", "defined_ids",
           "find_sources", "load_decks", "load_file", "parse_deck", "yaml_files_in"]


def _paths(paths: Iterable[Path | str] | Path | str) -> list[Path]:
    """``paths`` as a list: one str or Path is one path, not a sequence of characters."""
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    try:
        return [Path(p) for p in paths]
    except TypeError:
        raise TypeError("paths must be a path or a list of paths (files or folders), not "
                        f"{type(paths).__name__}") from None


def load_decks(paths: Iterable[Path | str] | Path | str, *,
               known_ids: Collection[str] = ()) -> tuple[Deck, ...]:
    """Load every deck from ``paths`` (files or folders), apply every file's ``overrides`` and
    ``hide``, and return the decks; raise DeckError listing all problems in all files.

    ``known_ids`` are ids of questions that exist but are left out of this selection (the
    bundled ones, with --no-bundled): overriding or hiding them is quietly moot, not an error.
    To apply your overrides and hides to the bundled decks, use ``bundled_decks(paths)``.
    """
    files, problems = find_sources(_paths(paths))
    parsed_files = [load_file(file) for file in files]
    by_file: dict[str, list[Problem]] = {}
    first_places: dict[str, Problem] = {}
    for file, parsed in zip(files, parsed_files, strict=True):
        file_problems = by_file.setdefault(str(file), list(parsed.problems))
        for question_id, place in parsed.id_places.items():
            first = first_places.setdefault(question_id, place)
            if first is not place:
                file_problems.append(at_place(
                    place, f"duplicate id '{question_id}' (also used at {where(first)}); "
                           "to replace that question, list yours under 'overrides:' instead"))
    overrides, hidden, overlay_problems = apply_overlays(
        parsed_files, first_places, set(known_ids),
        lambda: defined_ids([bundled_decks_dir()]))
    decks = []
    for parsed in parsed_files:
        if parsed.deck is None:
            continue
        kept = tuple(overrides.get(q.id, q) for q in parsed.deck.questions if q.id not in hidden)
        # The builder checked each file's own questions; an override may have changed one.
        overlay_problems += [at_place(first_places[q.id], m) for q in kept if q.id in overrides
                             and (m := rules.cardless_problem(q, parsed.deck.cards)) is not None]
        if kept or (parsed.deck.description and not parsed.deck.questions):
            decks.append(replace(parsed.deck, questions=kept))
    for problem in overlay_problems + deck_conflicts(files, parsed_files):
        by_file[problem.path].append(problem)
    for file_problems in by_file.values():
        problems.extend(sorted(file_problems, key=file_order))
    if problems:
        raise DeckError(problems)
    return tuple(decks)


def defined_ids(paths: Iterable[Path | str] | Path | str) -> set[str]:
    """Every question id defined in ``paths`` (before any hide), readable or not."""
    files, _ = find_sources(_paths(paths))
    return {question_id for file in files for question_id in load_file(file).id_places}


def load_file(path: Path) -> ParsedFile:
    """Read and parse one deck file."""
    name = str(path)
    try:
        # Non-blocking: opening a FIFO must not wait for a writer; then only regular files.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return _failed(Problem(name, 0, 0, f"cannot read: {error.strerror or error}"))
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return _failed(Problem(name, 0, 0, "not a regular file (a FIFO or device?); "
                                               "a deck file must be an ordinary file"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _failed(Problem(name, 0, 0, f"cannot read: {error.strerror or error}"))
    finally:
        os.close(handle)
    return parse_deck(data, name)


def parse_deck(data: bytes, name: str = "<string>") -> ParsedFile:
    """Parse the bytes of one deck file named ``name`` (the name is used in messages)."""
    root, lone_anchors = compose_file(data, name)
    if isinstance(root, Problem):
        return _failed(root)
    parsed = build_file(root, name)
    if lone_anchors:
        problems = sorted((*parsed.problems, *lone_anchors), key=file_order)
        return replace(parsed, deck=None, problems=tuple(problems))
    return parsed


def _failed(problem: Problem) -> ParsedFile:
    return ParsedFile(None, (problem,), {})
