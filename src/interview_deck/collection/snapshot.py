"""What a collection holds that a sync's plan looks at, read with plain SQL in one pass: our
notes and their cards, notes of other note types with our GUIDs, the decks (filtered or not,
with their descriptions) and our note type's fields and cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..sources import rules
from .locate import Query


@dataclass(slots=True)
class Note:
    """A note of our note type, as the collection holds it."""

    nid: int
    guid: str
    mtime: int
    tags: list[str]
    fields: list[str]
    cards: list[tuple[int, str, bool, str]] = field(default_factory=list)
    """(card id, home deck name, suspended, filtered deck name or "") of each card: a card in
    a filtered deck counts in its home deck."""


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """A deck of the collection."""

    id: int
    name: str
    filtered: bool
    description: str


@dataclass(slots=True)
class Snapshot:
    """The parts of a collection a plan compares with the sources."""

    notes: dict[str, Note]
    """Our notes by GUID."""
    others: dict[str, int]
    """GUID to note type id, for notes of another note type that have one of the GUIDs asked
    for."""
    decks_by_key: dict[str, DeckInfo]
    """Each deck by ``rules.deck_key`` of its name."""
    notetype_names: dict[int, str]
    notetype_time: int | None
    """Our note type's modification time; None when the collection does not have it."""
    fields: list[str]
    templates: list[str]
    """Our note type's field and card template names, in order (empty without it)."""


def read_snapshot(query: Query, notetype_id: int, guids: Sequence[str]) -> Snapshot:
    """The snapshot of the collection ``query`` reads; ``others`` covers ``guids``."""
    decks = [_deck(int(did), str(name), kind) for did, name, kind in
             query("SELECT id, name, kind FROM decks")]
    names = {deck.id: deck.name for deck in decks}
    fields = [str(r[0]) for r in query(
        "SELECT name FROM fields WHERE ntid = ? ORDER BY ord", notetype_id)]
    templates = [str(r[0]) for r in query(
        "SELECT name FROM templates WHERE ntid = ? ORDER BY ord", notetype_id)]
    ours: dict[str, Note] = {}
    for nid, guid, mtime, tag_text, flds in query(
            "SELECT id, guid, mod, tags, flds FROM notes WHERE mid = ?", notetype_id):
        ours[str(guid)] = Note(int(nid), str(guid), int(mtime), str(tag_text).split(),
                               str(flds).split("\x1f"))
    by_id = {note.nid: note for note in ours.values()}
    for cid, nid, did, odid, queue in query(
            "SELECT c.id, c.nid, c.did, c.odid, c.queue FROM cards c JOIN notes n "
            "ON n.id = c.nid WHERE n.mid = ? ORDER BY c.nid, c.ord", notetype_id):
        home_id = int(odid) or int(did)
        filtered = names.get(int(did), "") if int(odid) else ""
        by_id[int(nid)].cards.append((int(cid), names.get(home_id, ""), int(queue) == -1,
                                      filtered))
    notetype_time = None
    for (mtime,) in query("SELECT mtime_secs FROM notetypes WHERE id = ?", notetype_id):
        notetype_time = int(mtime)
    return Snapshot(
        ours, _other_notes(query, [g for g in guids if g not in ours]),
        {rules.deck_key(deck.name): deck for deck in decks},
        {int(ntid): str(name) for ntid, name in query("SELECT id, name FROM notetypes")},
        notetype_time, fields, templates)


def _deck(did: int, name: str, kind: bytes | None) -> DeckInfo:
    from anki.decks_pb2 import Deck
    from google.protobuf.message import DecodeError

    container = Deck.KindContainer()
    try:
        container.ParseFromString(bytes(kind or b""))
    except DecodeError:
        container = Deck.KindContainer()  # unreadable: neither filtered nor described
    filtered = container.WhichOneof("kind") == "filtered"
    description = "" if filtered else container.normal.description
    return DeckInfo(did, name.replace("\x1f", "::"), filtered, description)


def _other_notes(query: Query, guids: Sequence[str]) -> dict[str, int]:
    """GUID to note type id, for notes with these GUIDs (none of ours, by the caller)."""
    found: dict[str, int] = {}
    for start in range(0, len(guids), 500):
        chunk = guids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for guid, mid in query(f"SELECT guid, mid FROM notes WHERE guid IN ({marks})", *chunk):
            found[str(guid)] = int(mid)
    return found
