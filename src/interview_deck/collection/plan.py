"""The plan of a sync: what Anki's import will do to each question, which of our notes left
the sources, and which cards sit in another deck than their YAML names; read from a collection
with plain SQL (so a dry run needs no write access and changes nothing)."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..apkg.cards import FIELDS, NOTETYPE_NAME
from ..apkg.identity import note_guid
from ..apkg.revisions import Revisions
from ..apkg.writer import NOTETYPE_ID
from ..model import Deck
from ..sources import rules
from .locate import Query


@dataclass(frozen=True, slots=True)
class Entry:
    """One question in the plan."""

    id: str
    """The question's id (for a note that left the sources: its Id field, or its GUID)."""

    words: str
    """The first words of the question."""

    detail: str = ""
    """Why it conflicts, or the deck move (``Old deck -> New deck``)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What a sync does to a collection, question by question."""

    new: tuple[Entry, ...] = ()
    """Questions the collection does not have: the import adds them."""

    updated: tuple[Entry, ...] = ()
    """Notes whose content changed since the collection got them: the import updates them."""

    unchanged: tuple[Entry, ...] = ()
    """Notes already up to date: the import skips them."""

    conflicting: tuple[Entry, ...] = ()
    """Notes the import cannot or will not update, with the reason (a note of another note
    type; a note edited in Anki after this version, which the import keeps)."""

    left: tuple[Entry, ...] = ()
    """Our notes, in the decks this sync builds, whose question is no longer in the sources
    (deleted or hidden): listed, or suspended or deleted with ``--prune``."""

    wrong_deck: tuple[Entry, ...] = ()
    """Our notes with cards outside the deck the YAML names: moved with ``--move-cards``."""

    unbuilt: tuple[Entry, ...] = ()
    """Our notes whose question left the sources, in decks no source builds any more (a deck
    file you deleted): listed, never pruned."""

    left_out: tuple[str, ...] = ()
    """Default sources the selection leaves out: their questions look as if they left."""

    notetype: str = "unchanged"
    """What the import does to our note type: ``new``, ``updated`` or ``unchanged``."""

    refusal: str = ""
    """Why sync cannot apply this plan (empty when it can)."""

    def counts(self) -> dict[str, int]:
        """The number of questions in each part, by the JSON names."""
        return {name: len(getattr(self, attribute)) for name, attribute in PARTS}

    def as_json(self) -> dict[str, Any]:
        """The plan as plain JSON values."""
        data: dict[str, Any] = {"counts": self.counts()}
        for name, attribute in PARTS:
            data[name] = [{"id": e.id, "question": e.words, **({"detail": e.detail}
                                                               if e.detail else {})}
                          for e in getattr(self, attribute)]
        data["left_out"] = list(self.left_out)
        data["notetype"] = self.notetype
        data["refusal"] = self.refusal or None
        return data


PARTS = (("new", "new"), ("updated", "updated"), ("unchanged", "unchanged"),
         ("conflicting", "conflicting"), ("left_sources", "left"), ("wrong_deck", "wrong_deck"),
         ("unbuilt_decks", "unbuilt"))


@dataclass(slots=True)
class _Note:
    nid: int
    guid: str
    mtime: int
    tags: list[str]
    fields: list[str]
    cards: list[tuple[int, str, bool, str]] = field(default_factory=list)
    """(card id, home deck name, suspended, filtered deck name or "") of each card: a card in
    a filtered deck counts in its home deck."""


@dataclass(slots=True)
class Actions:
    """What applying a plan changes besides the import: the notes to prune, the cards to move."""

    prune_notes: list[int] = field(default_factory=list)
    prune_cards: list[int] = field(default_factory=list)
    """The cards of ``prune_notes`` that are not suspended yet."""
    moves: dict[str, list[int]] = field(default_factory=dict)
    suspend_notes: int = 0
    """How many of ``prune_notes`` have a card to suspend."""
    older: dict[str, int] = field(default_factory=dict)
    """Question id to the note time in the collection, for notes whose content is already the
    package's though the package's time is newer: the package gets the older time, so that
    Anki's import skips them instead of rewriting them unchanged."""
    import_log: dict[str, int] = field(default_factory=dict)
    """What Anki's import log will count (new, updated, unchanged = its duplicates,
    conflicting)."""

    def needed(self, plan: Plan, prune: str | None, move_cards: bool) -> bool:
        """True when applying ``plan`` with these options changes the collection."""
        pruning = self.prune_cards if prune == "suspend" else self.prune_notes if prune else []
        return bool(plan.new or plan.updated or plan.notetype != "unchanged" or pruning
                    or (move_cards and self.moves))


def known_ids(decks: Iterable[Deck], revisions: Revisions) -> dict[str, str]:
    """GUID to question id, for every id we can know: the sources and the ledger's history."""
    ids = {key.removeprefix("note/") for key in [*revisions.base(), *revisions.entries()]
           if key.startswith("note/")}
    ids.update(q.id for deck in decks for q in deck.questions)
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
    known: Mapping[str, str]
    """GUID to question id, for naming notes that left."""
    tags: Sequence[str] = ()
    decks: Sequence[str] = ()
    skip_tags: Sequence[str] = ()
    """The ``--tag``, ``--deck`` and ``--skip-tag`` filters."""


EDITED = "edited in Anki after this version; the import keeps yours"


def make_plan(query: Query, wanted: Wanted) -> tuple[Plan, Actions]:
    """The plan for ``wanted`` against the collection that ``query`` reads."""
    deck_rows = [(int(did), str(name).replace("\x1f", "::"))
                 for did, name in query("SELECT id, name FROM decks")]
    deck_names = dict(deck_rows)
    fields = [str(r[0]) for r in query(
        "SELECT name FROM fields WHERE ntid = ? ORDER BY ord", NOTETYPE_ID)]
    their_templates = [str(r[0]) for r in query(
        "SELECT name FROM templates WHERE ntid = ? ORDER BY ord", NOTETYPE_ID)]
    ours = {}
    for nid, guid, mtime, tag_text, flds in query(
            "SELECT id, guid, mod, tags, flds FROM notes WHERE mid = ?", NOTETYPE_ID):
        ours[str(guid)] = _Note(int(nid), str(guid), int(mtime), str(tag_text).split(),
                                str(flds).split("\x1f"))
    by_id = {note.nid: note for note in ours.values()}
    for cid, nid, did, odid, queue in query(
            "SELECT c.id, c.nid, c.did, c.odid, c.queue FROM cards c JOIN notes n "
            "ON n.id = c.nid WHERE n.mid = ? ORDER BY c.nid, c.ord", NOTETYPE_ID):
        home_id = int(odid) or int(did)
        filtered = deck_names.get(int(did), "") if int(odid) else ""
        by_id[int(nid)].cards.append((int(cid), deck_names.get(home_id, ""), int(queue) == -1,
                                      filtered))

    guids = [note_guid(q.id) for deck in wanted.built for q in deck.questions]
    others = _other_notes(query, [g for g in guids if g not in ours])
    notetype_names = {int(ntid): str(name) for ntid, name in query(
        "SELECT id, name FROM notetypes")}
    notetype_state = "new"
    for (mtime,) in query("SELECT mtime_secs FROM notetypes WHERE id = ?", NOTETYPE_ID):
        notetype_state = "updated" if int(mtime) < wanted.notetype_time else "unchanged"

    refusal = ""
    mismatch = fields and (fields != list(FIELDS)
                           or their_templates != list(wanted.templates))
    if mismatch:
        refusal = (f"the note type '{NOTETYPE_NAME}' in the collection has other fields or "
                   f"cards ({', '.join(fields)}; {', '.join(their_templates)}) than this "
                   f"version's ({', '.join(FIELDS)}; {', '.join(wanted.templates)}): Anki's "
                   "import would add a second note type and leave these notes as they are, "
                   "and changing the note type makes the next AnkiWeb sync a full one; sync "
                   "changes nothing")
    plan: dict[str, list[Entry]] = {attribute: [] for _, attribute in PARTS}
    actions = Actions()
    log = dict.fromkeys(("new", "updated", "unchanged", "conflicting"), 0)
    for deck in wanted.built:
        for question in deck.questions:
            if question.id not in wanted.times:
                continue  # not in the package: its deck's cards: choice gives it no card
            guid = note_guid(question.id)
            entry = Entry(question.id, _first_words(question.question))
            note = ours.get(guid)
            if note is None:
                other = others.get(guid)
                if other is None:
                    plan["new"].append(entry)
                    log["new"] += 1
                else:
                    kind = notetype_names.get(other, str(other))
                    plan["conflicting"].append(replace(
                        entry, detail=f"in the collection it is a note of another note type "
                                      f"('{kind}'); Anki leaves it as it is"))
                    log["conflicting"] += 1
                continue
            if mismatch:
                plan["conflicting"].append(replace(
                    entry, detail="the collection's note type is another version"))
                continue
            same = _same(note, wanted.contents[question.id])
            if note.mtime < wanted.times[question.id]:
                if same:
                    actions.older[question.id] = note.mtime
                plan["unchanged" if same else "updated"].append(entry)
                log["unchanged" if same else "updated"] += 1
            else:
                if same:
                    plan["unchanged"].append(entry)
                else:
                    plan["conflicting"].append(replace(entry, detail=EDITED))
                log["unchanged"] += 1
            home = rules.deck_key(deck.name)
            away = [card for card in note.cards if rules.deck_key(card[1]) != home]
            if away:
                actions.moves.setdefault(deck.name, []).extend(card[0] for card in away)
                leaves = "".join(f" (leaves filtered deck {name})"
                                 for name in sorted({card[3] for card in away if card[3]}))
                plan["wrong_deck"].append(replace(
                    entry, detail=f"{away[0][1]} -> {deck.name}{leaves}"))
    actions.import_log = log

    present = {note_guid(q.id) for deck in wanted.everything for q in deck.questions}
    in_scope = {rules.deck_key(deck.name) for deck in wanted.scope}
    sourced = {rules.deck_key(deck.name) for deck in wanted.everything}
    wanted_tags = [rules.tag_key(t) for t in wanted.tags]
    skipped_tags = [rules.tag_key(t) for t in wanted.skip_tags]
    wanted_decks = [rules.deck_key(d) for d in wanted.decks]
    id_field = fields.index("Id") if "Id" in fields else None
    for note in sorted(ours.values(), key=lambda n: n.nid):
        if note.guid in present or not note.cards:
            continue
        if wanted_tags and not any(_under(rules.tag_key(t), wanted_tags) for t in note.tags):
            continue
        if any(_under(rules.tag_key(t), skipped_tags) for t in note.tags):
            continue
        decks = [rules.deck_key(card[1]) for card in note.cards]
        name = ""
        if id_field is not None and id_field < len(note.fields):
            name = _plain(note.fields[id_field])
        name = name or wanted.known.get(note.guid, note.guid)
        entry = Entry(name, _first_words(_plain(note.fields[0])))
        if not any(deck in in_scope for deck in decks):
            if (not any(deck in sourced for deck in decks)
                    and (not wanted_decks or any(_under(d, wanted_decks) for d in decks))):
                plan["unbuilt"].append(replace(entry, detail=note.cards[0][1]))
            continue
        outside = sorted({card[1] for card in note.cards
                          if rules.deck_key(card[1]) not in in_scope})
        if outside:
            plan["left"].append(replace(entry, detail=f"also in {', '.join(outside)}, outside "
                                                     "this sync's decks: never pruned"))
            continue
        suspended = all(card[2] for card in note.cards)
        plan["left"].append(replace(entry, detail="suspended" if suspended else ""))
        actions.prune_notes.append(note.nid)
        actions.prune_cards.extend(card[0] for card in note.cards if not card[2])
        actions.suspend_notes += not suspended
    plan["left"].sort(key=lambda e: e.id)
    plan["unbuilt"].sort(key=lambda e: e.id)
    parts = {k: tuple(v) for k, v in plan.items()}
    return Plan(**parts, notetype=notetype_state, refusal=refusal), actions  # type: ignore[arg-type]


def _same(note: _Note, content: tuple[Sequence[str], str]) -> bool:
    """True when ``note`` holds the package's fields and tags (as Anki compares them)."""
    fields, tags = content
    mine = [unicodedata.normalize("NFC", value) for value in note.fields]
    theirs = [unicodedata.normalize("NFC", value) for value in fields]
    return mine == theirs and (sorted(rules.tag_key(t) for t in note.tags)
                               == sorted(rules.tag_key(t) for t in tags.split()))


def _other_notes(query: Query, guids: Sequence[str]) -> dict[str, int]:
    """GUID to note type id, for notes with these GUIDs (none of ours, by the caller)."""
    found: dict[str, int] = {}
    for start in range(0, len(guids), 500):
        chunk = guids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for guid, mid in query(f"SELECT guid, mid FROM notes WHERE guid IN ({marks})", *chunk):
            found[str(guid)] = int(mid)
    return found


def _under(tag: str, parents: Sequence[str]) -> bool:
    return any(tag == parent or tag.startswith(parent + "::") for parent in parents)


_MARKUP = re.compile(r"<[^>]*>")


def _plain(value: str) -> str:
    return " ".join(html.unescape(_MARKUP.sub(" ", value)).split())


def _first_words(text: str, words: int = 9) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")
