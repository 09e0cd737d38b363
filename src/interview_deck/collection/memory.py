"""What sync put into a collection, remembered in the collection itself.

Kept in the collection's config (one JSON value under ``CONFIG_KEY``), so it survives a lost
ledger and a new machine and travels with AnkiWeb sync. Per question id: a fingerprint of the
note's fields as Anki stored them when sync last wrote or confirmed them, that time, the deck
file the question came from, the tags that came from YAML, and the cards sync suspended when
the question left. Per deck: a fingerprint of the description sync gave it.

A note whose fields no longer match the fingerprint was edited in Anki since; a tag that is
not among the YAML's was added there. Anki sends the whole config on every sync, so the value
stays compact: short fingerprints, files and tag sets listed once.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

CONFIG_KEY = "interviewDeckSync"
FORMAT = 1


def content_print(values: Iterable[str]) -> str:
    """A short fingerprint of field values (or a description), compared as Anki stores text
    (NFC)."""
    text = "\x1f".join(unicodedata.normalize("NFC", value) for value in values)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Put:
    """What sync last put into one note."""

    fingerprint: str
    """``content_print`` of the note's fields as Anki stored them then."""

    time: int
    """The note's modification time then (seconds)."""

    files: tuple[str, ...]
    """The deck file the question came from, then the file whose override changed it, if one
    did (``paths.source_key``)."""

    tags: tuple[str, ...] = ()
    """The note's tags that came from YAML; any other tag is the person's."""

    suspended: tuple[int, ...] = ()
    """Card ids sync suspended when the question left the sources."""


@dataclass(slots=True)
class Memory:
    """Everything sync remembers of one collection."""

    notes: dict[str, Put] = field(default_factory=dict)
    """Question id to what sync put in its note."""

    decks: dict[str, str] = field(default_factory=dict)
    """Deck name (as built) to the ``content_print`` of the description sync gave it."""

    damaged: bool = False
    """True when the stored value could not be read (it is then treated as empty)."""

    def as_json(self) -> dict[str, Any]:
        """The compact JSON value stored in the collection's config."""
        files: dict[tuple[str, ...], int] = {}
        tag_sets: dict[tuple[str, ...], int] = {}
        notes: dict[str, list[Any]] = {}
        for question_id, put in sorted(self.notes.items()):
            row: list[Any] = [put.fingerprint, put.time,
                              files.setdefault(put.files, len(files)),
                              tag_sets.setdefault(put.tags, len(tag_sets))]
            if put.suspended:
                row.append(list(put.suspended))
            notes[question_id] = row
        return {"version": FORMAT, "files": [list(f) for f in files],
                "tags": [list(t) for t in tag_sets],
                "notes": notes, "decks": dict(sorted(self.decks.items()))}

    @classmethod
    def from_json(cls, data: object) -> Memory:
        """The memory stored as ``data``; an empty, ``damaged`` one when it cannot be read
        (sync then knows nothing it put, and keeps every note that differs)."""
        try:
            return cls._parse(data)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError):
            return cls(damaged=True)

    @classmethod
    def _parse(cls, data: object) -> Memory:
        if not isinstance(data, dict) or data.get("version") != FORMAT:
            raise ValueError("unknown format")
        files = [tuple(_texts(names)) for names in data["files"]]
        tag_sets = [tuple(_texts(tags)) for tags in data["tags"]]
        notes: dict[str, Put] = {}
        for question_id, row in data["notes"].items():
            suspended = tuple(_whole(c) for c in row[4]) if len(row) > 4 else ()
            if not isinstance(row[0], str):
                raise TypeError("a fingerprint is text")
            notes[str(question_id)] = Put(row[0], _whole(row[1]), files[_whole(row[2])],
                                          tag_sets[_whole(row[3])], suspended)
        decks = {str(name): str(value) for name, value in data["decks"].items()}
        return cls(notes, decks)


def _texts(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError("not a list of text")
    return values


def _whole(value: object) -> int:
    if type(value) is not int:
        raise TypeError("not a whole number")
    return value


def read_memory(query: Callable[..., Sequence[Sequence[Any]]]) -> Memory:
    """The memory stored in the collection that ``query`` reads (plain SQL; empty when sync
    never wrote one)."""
    rows = query("SELECT val FROM config WHERE KEY = ?", CONFIG_KEY)
    if not rows:
        return Memory()
    raw = rows[0][0]
    try:
        data = json.loads(bytes(raw).decode("utf-8") if not isinstance(raw, str) else raw)
    except (ValueError, UnicodeDecodeError, RecursionError, TypeError):
        return Memory(damaged=True)
    return Memory.from_json(data)


def merge_tags(current: Sequence[str], ours_before: Sequence[str], ours_now: Sequence[str],
               key: Callable[[str], str]) -> list[str]:
    """The note's tags after sync: the YAML's changes applied (tags the YAML dropped removed,
    new ones added) and every other tag kept as it is, in its place. ``key`` compares tags as
    Anki does (case-insensitively)."""
    before = {key(t) for t in ours_before}
    now = {key(t) for t in ours_now}
    dropped = before - now
    kept = [t for t in current if key(t) not in dropped]
    have = {key(t) for t in kept}
    # A YAML tag the person removed in Anki stays removed until the YAML changes it.
    return kept + [t for t in ours_now if key(t) not in have and key(t) not in before]
