"""``interview-deck sync``: what an import into your collection will do (the plan), then doing it
with Anki's own importer, and what an import cannot do: prune notes that left the sources and
move cards to the deck their YAML names now.

Only notes of our note type are ever candidates for pruning or moving; every change happens in
one SQLite transaction after a backup, so a collection is the old one or the new one.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import rules
from .anki import NOTETYPE_ID, open_ledger, package_bytes
from .build import Selection, filter_decks
from .cards import FIELDS, NOTETYPE_NAME, CardTemplates
from .collection import Query, backup, backup_folder, opened, reading, require_anki
from .errors import CollectionError, OutputError
from .identity import note_guid
from .model import Deck
from .output import write_atomically
from .revisions import Revisions

PRUNE_CHOICES = ("suspend", "delete")


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
    """Notes the import cannot update, with the reason."""

    left: tuple[Entry, ...] = ()
    """Our notes, in the decks this sync builds, whose question is no longer in the sources
    (deleted or hidden): listed, or suspended or deleted with ``--prune``."""

    wrong_deck: tuple[Entry, ...] = ()
    """Our notes with cards outside the deck the YAML names: moved with ``--move-cards``."""

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
        data["notetype"] = self.notetype
        data["refusal"] = self.refusal or None
        return data


PARTS = (("new", "new"), ("updated", "updated"), ("unchanged", "unchanged"),
         ("conflicting", "conflicting"), ("left_sources", "left"), ("wrong_deck", "wrong_deck"))


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What sync planned and, unless it was a dry run or refused, did."""

    collection: Path
    """The collection file."""

    plan: Plan
    """The plan, as computed before any change."""

    applied: bool = False
    """True when the collection was changed (not a dry run, not refused)."""

    backup: Path | None = None
    """Anki's backup of the collection made before the change."""

    imported: dict[str, int] = field(default_factory=dict)
    """Anki's import log: new, updated, unchanged (duplicates) and conflicting notes."""

    pruned: str = ""
    """``suspended`` or ``deleted`` when notes that left the sources were pruned."""

    pruned_notes: int = 0
    """How many notes were pruned."""

    moved_cards: int = 0
    """How many cards moved to the deck their YAML names."""

    warnings: tuple[str, ...] = ()
    """Things the user should know; the collection is fine."""


@dataclass(slots=True)
class _Note:
    nid: int
    guid: str
    notetype: int
    mtime: int
    tags: list[str]
    fields: list[str]
    cards: list[tuple[int, str, bool]] = field(default_factory=list)
    """(card id, home deck name, suspended) of each card: a card in a filtered deck counts in
    its home deck."""


@dataclass(slots=True)
class _Actions:
    prune_notes: list[int] = field(default_factory=list)
    prune_cards: list[int] = field(default_factory=list)
    """The cards of ``prune_notes`` that are not suspended yet."""
    moves: dict[str, list[int]] = field(default_factory=dict)
    suspend_notes: int = 0
    """How many of ``prune_notes`` have a card to suspend."""

    def needed(self, plan: Plan, prune: str | None, move_cards: bool) -> bool:
        """True when applying ``plan`` with these options changes the collection."""
        pruning = self.prune_cards if prune == "suspend" else self.prune_notes if prune else []
        return bool(plan.new or plan.updated or plan.notetype != "unchanged" or pruning
                    or (move_cards and self.moves))


def sync(selection: Selection, collection: Path, *, dry_run: bool = False,
         prune: str | None = None, move_cards: bool = False,
         ledger: Revisions | Path | None = None,
         on_plan: Callable[[Plan], None] | None = None,
         on_backup: Callable[[Path], None] | None = None) -> SyncReport:
    """Plan the sync of ``selection`` into ``collection`` and, unless ``dry_run``, apply it.

    ``prune`` (``suspend`` or ``delete``) acts on our notes that left the sources;
    ``move_cards`` moves our cards to their YAML deck. ``ledger`` is the revisions ledger as for
    ``build`` (default: ``default_ledger_path()``), saved only after a change. ``on_plan`` is
    called with the plan before any change, ``on_backup`` with the backup's path as soon as it
    exists.
    Raises CollectionLocked when Anki has the collection open, CollectionError when it cannot be
    used, DeckError for problems in the decks.
    """
    require_anki()
    if prune is not None and prune not in PRUNE_CHOICES:
        raise ValueError(f"prune must be one of {PRUNE_CHOICES}")
    everything = replace(selection, tags=(), decks=()).load()
    built = filter_decks(everything, tags=selection.tags, deck_names=selection.decks)
    # The decks whose notes can be pruned: those the selection builds, whatever the tag filter
    # (which applies to the notes' own tags instead).
    scope = filter_decks(everything, deck_names=selection.decks)
    revisions, ledger_path = open_ledger(ledger)
    package = package_bytes(built, revisions=revisions)
    templates = [name for name, _, _ in CardTemplates.load().as_list()]
    known = _known_ids(everything, revisions)

    def plan_from(query: Query) -> tuple[Plan, _Actions]:
        plan, actions = _plan(query, built, scope, everything, package.note_times,
                              package.notetype_time, templates, known, selection.tags)
        if on_plan is not None:
            on_plan(plan)
        return plan, actions

    if dry_run:
        with reading(collection) as query:
            plan, _ = plan_from(query)
        return SyncReport(collection, plan)

    with tempfile.TemporaryDirectory(prefix="interview-deck-sync-") as folder:
        apkg = Path(folder) / "interview-deck.apkg"
        write_atomically(apkg, package.data)
        with opened(collection) as col:
            db = col.db
            assert db is not None, "an open collection has a database"
            plan, actions = plan_from(db.all)
            if plan.refusal or not actions.needed(plan, prune, move_cards):
                return SyncReport(collection, plan)
            saved = backup(col, backup_folder(collection))
            if on_backup is not None:
                on_backup(saved)
            log: dict[str, int] = {}
            moved = [0]

            def apply() -> None:
                from anki.cards import CardId
                from anki.notes import NoteId

                log.update(_import(col, apkg))
                if prune == "suspend" and actions.prune_cards:
                    col.sched.suspend_cards([CardId(c) for c in actions.prune_cards])
                elif prune == "delete" and actions.prune_notes:
                    col.remove_notes([NoteId(n) for n in actions.prune_notes])
                if move_cards:
                    for deck_name, cards in actions.moves.items():
                        deck = col.decks.id(deck_name, create=True)
                        assert deck is not None, "create=True always gives a deck"
                        moved[0] += col.set_deck([CardId(c) for c in cards], deck).count

            # One transaction: Anki's operations nest inside it as savepoints, so a kill at any
            # point leaves the collection as it was or as the plan says, never in between.
            from anki.errors import AnkiException

            try:
                db.transact(apply)
            except AnkiException as error:
                raise CollectionError(f"{collection}: Anki could not apply the sync ({error}); "
                                      "the collection is as it was") from error
    warnings = []
    if ledger_path is not None and revisions.changed:
        try:
            revisions.save(ledger_path)
        except OutputError as error:
            warnings.append(f"could not record revisions: {error}")
    expected = {"new": len(plan.new), "updated": len(plan.updated),
                "unchanged": len(plan.unchanged), "conflicting": len(plan.conflicting)}
    if log != expected:
        warnings.append(f"Anki's import did {_counts(log)}, where the plan said "
                        f"{_counts(expected)}")
    return SyncReport(collection, plan, applied=True, backup=saved, imported=log,
                      pruned={"suspend": "suspended", "delete": "deleted"}.get(prune or "", ""),
                      pruned_notes={"suspend": actions.suspend_notes,
                                    "delete": len(actions.prune_notes)}.get(prune or "", 0),
                      moved_cards=moved[0], warnings=tuple(warnings))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{number} {name}" for name, number in counts.items())


def _import(col: Any, package: Path) -> dict[str, int]:
    """Import ``package`` as File > Import does with Anki's default options."""
    from anki.collection import ImportAnkiPackageRequest

    options = col._backend.get_import_anki_package_presets()
    response = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(package), options=options))
    log = response.log
    return {"new": len(log.new), "updated": len(log.updated), "unchanged": len(log.duplicate),
            "conflicting": len(log.conflicting)}


def _known_ids(decks: Iterable[Deck], revisions: Revisions) -> dict[str, str]:
    """GUID to question id, for every id we can know: the sources and the ledger's history."""
    ids = {key.removeprefix("note/") for key in [*revisions.base(), *revisions.entries()]
           if key.startswith("note/")}
    ids.update(q.id for deck in decks for q in deck.questions)
    return {note_guid(question_id): question_id for question_id in ids}


def _plan(query: Query, built: Sequence[Deck], scope: Sequence[Deck], everything: Sequence[Deck],
          times: dict[str, int], notetype_time: int, templates: Sequence[str],
          known: dict[str, str], tags: Sequence[str]) -> tuple[Plan, _Actions]:
    deck_names = {int(did): str(name).replace("\x1f", "::")
                  for did, name in query("SELECT id, name FROM decks")}
    fields = [str(r[0]) for r in query(
        "SELECT name FROM fields WHERE ntid = ? ORDER BY ord", NOTETYPE_ID)]
    their_templates = [str(r[0]) for r in query(
        "SELECT name FROM templates WHERE ntid = ? ORDER BY ord", NOTETYPE_ID)]
    ours = {}
    for nid, guid, mtime, tag_text, flds in query(
            "SELECT id, guid, mod, tags, flds FROM notes WHERE mid = ?", NOTETYPE_ID):
        ours[str(guid)] = _Note(int(nid), str(guid), NOTETYPE_ID, int(mtime),
                                str(tag_text).split(), str(flds).split("\x1f"))
    by_id = {note.nid: note for note in ours.values()}
    for cid, nid, did, odid, queue in query(
            "SELECT c.id, c.nid, c.did, c.odid, c.queue FROM cards c JOIN notes n "
            "ON n.id = c.nid WHERE n.mid = ? ORDER BY c.nid, c.ord", NOTETYPE_ID):
        home_id = int(odid) or int(did)
        by_id[int(nid)].cards.append((int(cid), deck_names.get(home_id, ""), int(queue) == -1))

    wanted = {note_guid(q.id): q.id for deck in built for q in deck.questions}
    others = _other_notes(query, [g for g in wanted if g not in ours])
    notetype_names = {int(ntid): str(name) for ntid, name in query(
        "SELECT id, name FROM notetypes")}
    notetype_state = "new"
    for (mtime,) in query("SELECT mtime_secs FROM notetypes WHERE id = ?", NOTETYPE_ID):
        notetype_state = "updated" if int(mtime) < notetype_time else "unchanged"

    refusal = ""
    mismatch = fields and (fields != list(FIELDS) or their_templates != list(templates))
    if mismatch:
        refusal = (f"the note type '{NOTETYPE_NAME}' in the collection has other fields or "
                   f"cards ({', '.join(fields)}; {', '.join(their_templates)}) than this "
                   f"version's ({', '.join(FIELDS)}; {', '.join(templates)}): Anki's import "
                   "would add a second note type and leave these notes as they are, and "
                   "changing the note type makes the next AnkiWeb sync a full one; sync "
                   "changes nothing")
    plan: dict[str, list[Entry]] = {attribute: [] for _, attribute in PARTS}
    actions = _Actions()
    for deck in built:
        for question in deck.questions:
            guid = note_guid(question.id)
            entry = Entry(question.id, _first_words(question.question))
            note = ours.get(guid)
            if note is None:
                other = others.get(guid)
                if other is None:
                    plan["new"].append(entry)
                else:
                    kind = notetype_names.get(other, str(other))
                    plan["conflicting"].append(replace(
                        entry, detail=f"in the collection it is a note of another note type "
                                      f"('{kind}'); Anki leaves it as it is"))
                continue
            if mismatch:
                plan["conflicting"].append(replace(
                    entry, detail="the collection's note type is another version"))
                continue
            part = "updated" if note.mtime < times[question.id] else "unchanged"
            plan[part].append(entry)
            home = rules.deck_key(deck.name)
            away = [card for card in note.cards if rules.deck_key(card[1]) != home]
            if away:
                actions.moves.setdefault(deck.name, []).extend(card[0] for card in away)
                plan["wrong_deck"].append(replace(
                    entry, detail=f"{away[0][1]} -> {deck.name}"))

    present = {note_guid(q.id) for deck in everything for q in deck.questions}
    built_decks = {rules.deck_key(deck.name) for deck in scope}
    wanted_tags = [rules.tag_key(t) for t in tags]
    id_field = fields.index("Id") if "Id" in fields else None
    for note in sorted(ours.values(), key=lambda n: n.nid):
        if note.guid in present:
            continue
        if not any(rules.deck_key(card[1]) in built_decks for card in note.cards):
            continue
        if wanted_tags and not any(_under(rules.tag_key(t), wanted_tags) for t in note.tags):
            continue
        name = ""
        if id_field is not None and id_field < len(note.fields):
            name = _plain(note.fields[id_field])
        name = name or known.get(note.guid, note.guid)
        suspended = all(card[2] for card in note.cards)
        plan["left"].append(Entry(name, _first_words(_plain(note.fields[0])),
                                  "suspended" if suspended else ""))
        actions.prune_notes.append(note.nid)
        actions.prune_cards.extend(card[0] for card in note.cards if not card[2])
        actions.suspend_notes += not suspended
    plan["left"].sort(key=lambda e: e.id)
    return Plan(**{k: tuple(v) for k, v in plan.items()}, notetype=notetype_state,
                refusal=refusal), actions


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
