"""The plan of a sync: what happens to each question, to each note of ours that left the
sources, to each card in another deck than its YAML names, and to each deck description; and
what applying it changes. ``compare.make_plan`` works it out."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..apkg.identity import note_guid
from ..apkg.revisions import Revisions
from ..model import Deck
from ..sources import rules
from .memory import Memory


@dataclass(frozen=True, slots=True)
class Entry:
    """One question (or deck) in the plan."""

    id: str
    """The question's id (for a note that left the sources: its Id field, or its GUID); for a
    deck description, the deck's name."""

    words: str
    """The first words of the question (or description)."""

    detail: str = ""
    """Why it is listed: the parts that change or differ, the deck move, the file."""


PARTS = (
    ("new", "new", "new"),
    ("updated", "updated", "updated"),
    ("unchanged", "unchanged", "unchanged"),
    ("edited_in_anki", "edited", "edited in Anki (kept)"),
    ("conflicting", "conflicting", "conflicting"),
    ("restored", "restored", "restored"),
    ("left_sources", "left", "left the sources"),
    ("not_read", "unread", "from files not read this time (never pruned)"),
    ("not_from_sources", "not_ours", "not from your sources (never pruned)"),
    ("wrong_deck", "wrong_deck", "in the wrong deck"),
    ("unbuilt_decks", "unbuilt", "in decks no source builds (never pruned)"),
    ("descriptions_updated", "descriptions_updated", "deck descriptions updated"),
    ("descriptions_kept", "descriptions_kept", "deck descriptions edited in Anki (kept)"),
)
"""Each part of a plan: its JSON name, its attribute, its label in the printed plan."""

ALWAYS_COUNTED = ("new", "updated", "unchanged", "conflicting", "left_sources", "wrong_deck")
"""The parts the plan's first line counts even when empty."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What a sync does to a collection, question by question."""

    new: tuple[Entry, ...] = ()
    """Questions the collection does not have: the import adds them."""

    updated: tuple[Entry, ...] = ()
    """Notes sync put there, unedited since, whose YAML changed: sync rewrites their fields and
    the tags that came from YAML (the person's own tags stay)."""

    unchanged: tuple[Entry, ...] = ()
    """Notes already up to date."""

    edited: tuple[Entry, ...] = ()
    """Notes edited in Anki since sync put them there (or, with no record of what sync put
    there, that differ from the YAML and from every version built): kept as they are."""

    conflicting: tuple[Entry, ...] = ()
    """Questions whose GUID belongs to a note of another note type: Anki leaves it alone."""

    restored: tuple[Entry, ...] = ()
    """Questions back in the sources whose cards sync had suspended: unsuspended."""

    left: tuple[Entry, ...] = ()
    """Our notes, in the decks this sync builds, whose question is no longer in the sources
    (deleted or hidden): listed, or suspended or deleted with ``--prune``."""

    unread: tuple[Entry, ...] = ()
    """Our notes whose question is not in the sources read this time, because its deck file
    (which still exists) was not read: never pruned."""

    not_ours: tuple[Entry, ...] = ()
    """Notes of our note type in the decks this sync builds whose GUID interview-deck never
    produced for you (added in Anki, or from somebody else's package): never pruned."""

    wrong_deck: tuple[Entry, ...] = ()
    """Our notes with cards outside the deck the YAML names: moved with ``--move-cards``."""

    unbuilt: tuple[Entry, ...] = ()
    """Our notes whose question left the sources, in decks no source builds (a deck file you
    deleted, or a deck of your own you moved them to): listed, never pruned."""

    descriptions_updated: tuple[Entry, ...] = ()
    """Decks whose description sync changes to the YAML's."""

    descriptions_kept: tuple[Entry, ...] = ()
    """Decks whose description was edited in Anki: kept."""

    left_out: tuple[str, ...] = ()
    """Default sources the selection leaves out."""

    notetype: str = "unchanged"
    """What the import does to our note type: ``new``, ``updated`` or ``unchanged``."""

    refusal: str = ""
    """Why sync cannot apply this plan (empty when it can)."""

    notice: str = ""
    """Something the person should know about this collection (a damaged memory)."""

    def counts(self) -> dict[str, int]:
        """The number of entries in each part, by the JSON names."""
        return {name: len(getattr(self, attribute)) for name, attribute, _ in PARTS}

    def as_json(self) -> dict[str, Any]:
        """The plan as plain JSON values."""
        data: dict[str, Any] = {"counts": self.counts()}
        for name, attribute, _ in PARTS:
            data[name] = [{"id": e.id, "question": e.words, **({"detail": e.detail}
                                                               if e.detail else {})}
                          for e in getattr(self, attribute)]
        data["left_out"] = list(self.left_out)
        data["notetype"] = self.notetype
        data["refusal"] = self.refusal or None
        return data


@dataclass(frozen=True, slots=True)
class Update:
    """A note sync rewrites itself (not through the import), keeping the person's tags."""

    nid: int
    id: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(slots=True)
class Actions:
    """What applying a plan changes besides the import of new notes."""

    updates: list[Update] = field(default_factory=list)
    prune_notes: list[int] = field(default_factory=list)
    prune_cards: list[int] = field(default_factory=list)
    """The cards of ``prune_notes`` that are not suspended yet."""
    pruned_by_id: dict[str, list[int]] = field(default_factory=dict)
    """Question id to the cards of it that ``prune_cards`` suspends (remembered, so that sync
    unsuspends exactly these when the question comes back)."""
    moves: dict[str, list[int]] = field(default_factory=dict)
    suspend_notes: int = 0
    """How many of ``prune_notes`` have a card to suspend."""
    unsuspend: dict[str, list[int]] = field(default_factory=dict)
    """Question id to the cards sync suspended that come back now."""
    older: dict[str, int] = field(default_factory=dict)
    """Question id to the note time in the collection, for every note the collection has:
    the package gets that time, so Anki's import leaves the note to sync."""
    owned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Question id to the note's tags that come from YAML after this sync: a YAML tag the note
    already had as the person's own stays theirs (a later YAML drop leaves it)."""
    descriptions: dict[str, str] = field(default_factory=dict)
    """Deck name to the description it must have after the import (the YAML's, or the
    person's own, which the import would replace)."""
    remember: bool = False
    """True when the memory lacks something the collection now holds (the first sync after
    an upgrade, say): worth writing even when nothing else changes."""
    import_log: dict[str, int] = field(default_factory=dict)
    """What Anki's import log will count (new, updated, unchanged, conflicting)."""

    def needed(self, plan: Plan, prune: str | None, move_cards: bool) -> bool:
        """True when applying ``plan`` with these options changes the collection."""
        pruning = self.prune_cards if prune == "suspend" else self.prune_notes if prune else []
        return bool(plan.new or self.updates or plan.notetype != "unchanged" or pruning
                    or (move_cards and self.moves) or self.unsuspend
                    or plan.descriptions_updated or self.remember)


def known_ids(decks: Iterable[Deck], revisions: Revisions,
              memory: Memory | None = None) -> dict[str, str]:
    """GUID to question id, for every id interview-deck produced for this person: the
    sources, the ledgers' history (shipped and own) and sync's memory."""
    ids = {key.removeprefix("note/") for key in [*revisions.base(), *revisions.entries()]
           if key.startswith("note/")}
    ids.update(q.id for deck in decks for q in deck.questions)
    if memory is not None:
        ids.update(memory.notes)
    return {note_guid(question_id): question_id for question_id in ids}


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a sync wants the collection to hold, beside the collection itself."""

    built: Sequence[Deck]
    """The decks the package holds (the selection, filters applied)."""
    scope: Sequence[Deck]
    """The decks whose notes may be pruned (the deck filter applied, not the tag filter)."""
    everything: Sequence[Deck]
    """Every deck and question in the sources: a note of one of them never left."""
    times: Mapping[str, int]
    """Each question's note time in the package."""
    contents: Mapping[str, tuple[Sequence[str], str]]
    """Each question's note fields and tags in the package."""
    notetype_time: int
    """The note type's modification time in the package."""
    templates: Sequence[str]
    """The card template names of this version's note type, in order."""
    ledger: Revisions
    """The revisions ledger with the shipped one as its base: earlier versions and files."""
    read: frozenset[str] = frozenset()
    """The deck files (``paths.source_key``) read this time."""
    descriptions: Mapping[str, str] = field(default_factory=dict)
    """Each built deck's description as the package gives it (HTML)."""
    overwrite: frozenset[str] = frozenset()
    """Question ids and deck names whose YAML wins over an edit made in Anki."""
    left_out: tuple[str, ...] = ()
    """Default sources the selection leaves out (see ``Selection.left_out``)."""
    tags: Sequence[str] = ()
    decks: Sequence[str] = ()
    skip_tags: Sequence[str] = ()
    """The ``--tag``, ``--deck`` and ``--skip-tag`` filters."""

    overwrite_all: bool = False
    """The YAML wins over every edit made in Anki."""
    files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each question's deck file, then the file of the override that changed it, if any
    (``paths.source_key``)."""

    def overwrites(self, question_id: str) -> bool:
        """True when the YAML wins over an edit of this question made in Anki."""
        return self.overwrite_all or question_id in self.overwrite

    def overwrites_deck(self, name: str) -> bool:
        """True when the YAML's description wins over one written in Anki for this deck."""
        return self.overwrite_all or rules.deck_key(name) in {
            rules.deck_key(value) for value in self.overwrite}


_MARKUP = re.compile(r"<[^>]*>")


def plain_text(value: str) -> str:
    """Field HTML as plain text on one line."""
    return " ".join(html.unescape(_MARKUP.sub(" ", value)).split())


def first_words(text: str, words: int = 9) -> str:
    """The first ``words`` words of ``text``, and `...` when there are more."""
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")
