"""Notes of our note type whose question is not in the sources read this time, sorted into
what sync may prune and what it must never touch.

Prune touches only a note whose GUID interview-deck produced for this person (an id the sources,
the revisions ledgers or sync's memory know), whose deck file was read this time or no longer
exists, in a deck this sync builds. A note added by hand, from another package or a friend's,
a note whose file still exists but was not read (the personal folder's variable missing in a
cron job, ``--no-bundled``), and a note in a deck of the person's own are listed, never
pruned.
"""

from __future__ import annotations

import os
from dataclasses import replace

from ..apkg.identity import note_guid
from ..paths import BUNDLED_SOURCE, source_path
from ..selection import is_under
from ..sources import rules
from .memory import Memory
from .plan import Actions, Entry, Wanted, first_words, known_ids, plain_text
from .snapshot import Snapshot


def classify_leftovers(snap: Snapshot, memory: Memory, wanted: Wanted,
                       plan: dict[str, list[Entry]], actions: Actions) -> None:
    """Add the notes that left the sources to ``plan`` and the prunable ones to ``actions``."""
    present = {note_guid(q.id) for deck in wanted.everything for q in deck.questions}
    known = known_ids(wanted.everything, wanted.ledger, memory)
    in_scope = {rules.deck_key(deck.name) for deck in wanted.scope}
    sourced = {rules.deck_key(deck.name) for deck in wanted.everything}
    built_once = {rules.deck_key(name) for name in memory.decks}
    wanted_tags = [rules.tag_key(t) for t in wanted.tags]
    skipped_tags = [rules.tag_key(t) for t in wanted.skip_tags]
    wanted_decks = [rules.deck_key(d) for d in wanted.decks]
    id_field = snap.fields.index("Id") if "Id" in snap.fields else None
    for note in sorted(snap.notes.values(), key=lambda n: n.nid):
        if note.guid in present or not note.cards:
            continue
        if wanted_tags and not any(is_under(rules.tag_key(t), wanted_tags) for t in note.tags):
            continue
        if any(is_under(rules.tag_key(t), skipped_tags) for t in note.tags):
            continue
        decks = [rules.deck_key(card[1]) for card in note.cards]
        question_id = known.get(note.guid)
        name = ""
        if id_field is not None and id_field < len(note.fields):
            name = plain_text(note.fields[id_field])
        entry = Entry(name or question_id or note.guid, first_words(plain_text(note.fields[0])))
        unread = _not_read(question_id, memory, wanted) if question_id is not None else ""
        if unread and (not wanted_decks or any(is_under(d, wanted_decks) for d in decks)):
            plan["unread"].append(replace(entry, detail=unread))
            continue
        if not any(deck in in_scope for deck in decks):
            if (question_id is not None and not any(deck in sourced for deck in decks)
                    and (not wanted_decks or any(is_under(d, wanted_decks) for d in decks))):
                deck = note.cards[0][1]
                whose = ("no source builds it any more" if rules.deck_key(deck) in built_once
                         else "a deck of your own")
                plan["unbuilt"].append(replace(entry, detail=f"{deck}: {whose}"))
            continue
        if question_id is None:
            plan["not_ours"].append(replace(
                entry, detail=f"in {note.cards[0][1]}; added in Anki or from another package: "
                              "interview-deck never made this note for you"))
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
        to_suspend = [card[0] for card in note.cards if not card[2]]
        actions.prune_cards.extend(to_suspend)
        if to_suspend:
            actions.pruned_by_id[question_id] = to_suspend
        actions.suspend_notes += not suspended
    for part in ("left", "unread", "not_ours", "unbuilt"):
        plan[part].sort(key=lambda e: e.id)


def _not_read(question_id: str, memory: Memory, wanted: Wanted) -> str:
    """Why the question may only look deleted (its file was not read): "" when it left."""
    put = memory.notes.get(question_id)
    recorded = wanted.ledger.known(f"note/{question_id}")
    file = put.files[0] if put is not None and put.files else (
        recorded.file if recorded is not None else "")
    if not file:
        if wanted.left_out:
            return (f"no record of its deck file, and this sync leaves out "
                    f"{' and '.join(wanted.left_out)}")
        if f"note/{question_id}" in wanted.ledger.base():
            return ""  # a bundled question: the bundled decks were read
        return ("no record of which deck file it came from (put there before interview-deck "
                "0.3): delete it in Anki if it should go")
    if unread_file(file, wanted.read) is not None:
        return f"{shown_file(file)} still exists but was not read this time"
    if file not in wanted.read and wanted.left_out:
        # Gone from there, but it may have moved into a source this sync leaves out.
        return (f"{shown_file(file)} is gone, and this sync leaves out "
                f"{' and '.join(wanted.left_out)}, where it may be now")
    return ""


def unread_file(file: str, read: frozenset[str]) -> str | None:
    """``file`` when it still exists but was not read this time, else None."""
    if not file or file in read or not os.path.lexists(source_path(file)):
        return None
    return file


def shown_file(file: str) -> str:
    """A ``paths.source_key`` as a person reads it."""
    if file.startswith(BUNDLED_SOURCE):
        return f"the bundled deck {file.removeprefix(BUNDLED_SOURCE)}"
    return file
