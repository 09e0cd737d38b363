"""What Tab offers for --tag, --deck and add --file: read from the decks the command would use.

Click calls these while the shell waits, with the options typed so far in ``ctx.params``.
They never raise: decks with problems give what the readable files know, or nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..sources.discovery import YAML_SUFFIXES

if TYPE_CHECKING:
    from ..model import Deck
    from ..selection import Selection

# add --file looks this deep below the folder being typed, and stops after this many folders,
# so a Tab in a big home folder stays instant.
FILE_DEPTH = 3
MAX_FOLDERS = 200
CACHE_FORMAT = 1
CACHE_ENTRIES = 16


def tags(ctx: click.Context, incomplete: str) -> list[str]:
    """The tags (and their parent tags) of the selection, within any --deck already given."""
    params = _typed_so_far(ctx)
    found = _remembered("tags", params, deck_names=params.get("decks") or (),
                        skip_tags=params.get("skip_tags") or ())
    return _matching(_with_parents(found), incomplete)


def decks(ctx: click.Context, incomplete: str) -> list[str]:
    """The deck names (and their parent decks) of the selection, with any --tag and --skip-tag
    already given."""
    params = _typed_so_far(ctx)
    found = _remembered("decks", params, tags=params.get("tags") or (),
                        skip_tags=params.get("skip_tags") or ())
    return _matching(_with_parents(found), incomplete)


def deck_files(_ctx: click.Context, incomplete: str) -> list[str]:
    """The .yaml and .yml files below the folder typed so far, as the user would type them."""
    head, _, _ = incomplete.rpartition("/")
    prefix = head + "/" if head or incomplete.startswith("/") else ""
    root = Path(os.path.expanduser(prefix or "."))
    found: list[str] = []
    for folders, (folder, dirs, names) in enumerate(os.walk(root), start=1):
        depth = len(Path(folder).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < FILE_DEPTH else []
        relative = Path(folder).relative_to(root)
        for name in names:
            if Path(name).suffix.lower() in YAML_SUFFIXES and not name.startswith("."):
                found.append(prefix + (relative / name).as_posix())
        if folders >= MAX_FOLDERS:
            break
    return sorted(path for path in found if path.startswith(incomplete))


def _typed_so_far(ctx: click.Context) -> dict[str, Any]:
    """The command's parameters typed before the Tab. Click stops parsing at the option still
    waiting for its value, before it assigns PATHS, which are then left in ``ctx.args``."""
    params = dict(ctx.params)
    if not params.get("paths") and ctx.args:
        params["paths"] = tuple(Path(arg) for arg in ctx.args)
    # The shell has not expanded a ~ yet: it is still as typed.
    # os.path.expanduser leaves an unknown ~user as typed (Path.expanduser raises).
    params["paths"] = tuple(Path(os.path.expanduser(path)) for path in params.get("paths") or ())
    if params.get("personal") is not None:
        params["personal"] = Path(os.path.expanduser(params["personal"]))
    return params


def cache_path() -> Path:
    """Where completion remembers its last answers: ``$XDG_CACHE_HOME/interview-deck/`` (by
    default ``~/.cache/interview-deck/completion.json``); safe to delete at any time."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "interview-deck" / "completion.json"


def _remembered(kind: str, params: Mapping[str, Any], *, tags: Iterable[str] = (),
                deck_names: Iterable[str] = (), skip_tags: Iterable[str] = ()) -> set[str]:
    """The tags or deck names of the selection, remembered while none of its files changes
    (size and modification time), so a Tab stays quick with thousands of questions."""
    key = _cache_key(kind, params, tuple(tags), tuple(deck_names), tuple(skip_tags))
    remembered = _read_cache() if key else {}
    if key in remembered:
        return set(remembered[key])
    from ..selection import Selection

    decks = _selection_decks(Selection(
        tuple(params.get("paths") or ()), bundled=not params.get("no_bundled"),
        personal=not params.get("no_personal"), personal_folder=params.get("personal"),
        tags=tuple(tags), decks=tuple(deck_names), skip_tags=tuple(skip_tags)))
    if kind == "tags":
        found = {tag for deck in decks for question in deck.questions for tag in question.tags}
    else:
        found = {deck.name for deck in decks}
    if key:
        kept = dict(list(remembered.items())[-(CACHE_ENTRIES - 1):])
        _write_cache({**kept, key: sorted(found)})
    return found


def _cache_key(kind: str, params: Mapping[str, Any], tags: tuple[str, ...],
               deck_names: tuple[str, ...], skip_tags: tuple[str, ...]) -> str | None:
    """What the answer depends on: the options, and the size and time of every file that the
    selection could read. Found without the loader (and PyYAML), so a remembered Tab is quick."""
    from ..paths import bundled_decks_dir, personal_dir
    from ..sources.discovery import find_sources

    personal = None if params.get("no_personal") else params.get("personal") or personal_dir()
    candidates = [bundled_decks_dir(), *([personal] if personal else []),
                  *(params.get("paths") or ())]
    try:
        files, problems = find_sources(path for path in candidates if path.exists())
        stats = [(str(file.resolve()), status.st_size, status.st_mtime_ns)
                 for file in files for status in (file.stat(),)]
    except OSError:
        return None
    return json.dumps([CACHE_FORMAT, kind, bool(params.get("no_bundled")), tags, deck_names,
                       skip_tags,
                       [str(path) for path in candidates], stats, [str(p) for p in problems]])


def _read_cache() -> dict[str, list[str]]:
    try:
        data = json.loads(cache_path().read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in data.values()):
        return {}
    return data


def _write_cache(entries: dict[str, list[str]]) -> None:
    from ..errors import InterviewDeckError
    from ..output import write_atomically

    try:
        write_atomically(cache_path(), json.dumps(entries).encode("utf-8"))
    except InterviewDeckError:
        pass  # a cache that cannot be written only makes the next Tab slower


def _selection_decks(selection: Selection) -> tuple[Deck, ...]:
    from dataclasses import replace

    from ..errors import DeckError, InterviewDeckError
    from ..selection import filter_decks

    try:
        loaded = replace(selection, tags=(), decks=(), skip_tags=()).load()
    except DeckError:
        loaded = _readable_decks(selection)
    except (InterviewDeckError, OSError):
        return ()
    try:
        return filter_decks(loaded, tags=selection.tags, deck_names=selection.decks,
                            skip_tags=selection.skip_tags)
    except InterviewDeckError:
        return loaded


def _readable_decks(selection: Selection) -> tuple[Deck, ...]:
    """The decks of the files that load on their own (overrides and hides left aside)."""
    from dataclasses import replace

    from ..errors import DeckError
    from ..sources.discovery import find_sources
    from ..sources.loading import load_file

    try:
        sources = selection.sources()
    except DeckError:  # a personal folder that is no folder: complete from the rest
        sources = replace(selection, personal=False).sources()
    files, _ = find_sources(sources)
    return tuple(deck for file in files if (deck := load_file(file).deck) is not None)


def _with_parents(names: Iterable[str]) -> set[str]:
    """Each name and its parents: 'a::b::c' also gives 'a' and 'a::b' (filters take them)."""
    whole: set[str] = set()
    for name in names:
        parts = name.split("::")
        whole.update("::".join(parts[:i]) for i in range(1, len(parts) + 1))
    return whole


def _matching(names: Iterable[str], incomplete: str) -> list[str]:
    wanted = incomplete.casefold()
    return sorted((name for name in names if name.casefold().startswith(wanted)),
                  key=str.casefold)
