"""Working out a sync's plan: the collection, read with plain SQL (so a dry run needs no write
access and changes nothing), compared with what the sources want.

Sync's memory (see ``memory``) tells a change made in Anki from one made in YAML: a note whose
fields differ from what sync last put there was edited in Anki, and is kept. Without a memory
(a collection synced before sync had one), a note counts as ours, unedited, only when its
content is a version the revisions ledgers recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..apkg.cards import FIELDS, NOTETYPE_NAME
from ..apkg.identity import note_guid
from ..apkg.revisions import fingerprint
from ..apkg.writer import NOTETYPE_ID
from ..sources import rules
from .leftovers import classify_leftovers, shown_file, unread_file
from .locate import Query
from .memory import Memory, content_print, merge_tags, read_memory
from .plan import PARTS, Actions, Entry, Plan, Update, Wanted, first_words, plain_text
from .snapshot import Note, Snapshot, read_snapshot


def make_plan(query: Query, wanted: Wanted) -> tuple[Plan, Actions]:
    """The plan for ``wanted`` against the collection that ``query`` reads."""
    guids = [note_guid(q.id) for deck in wanted.built for q in deck.questions]
    snap = read_snapshot(query, NOTETYPE_ID, guids)
    memory = read_memory(query)
    plan: dict[str, list[Entry]] = {attribute: [] for _, attribute, _ in PARTS}
    actions = Actions()
    refusal = _refusal(snap, wanted)
    mismatch = bool(snap.fields) and (snap.fields != list(FIELDS)
                                      or snap.templates != list(wanted.templates))
    log = dict.fromkeys(("new", "updated", "unchanged", "conflicting"), 0)
    for deck in wanted.built:
        for question in deck.questions:
            if question.id not in wanted.times:
                continue  # not in the package: its deck's cards: choice gives it no card
            guid = note_guid(question.id)
            entry = Entry(question.id, first_words(question.question))
            note = snap.notes.get(guid)
            if note is None:
                other = snap.others.get(guid)
                if other is None:
                    plan["new"].append(entry)
                    log["new"] += 1
                else:
                    kind = snap.notetype_names.get(other, str(other))
                    plan["conflicting"].append(replace(
                        entry, detail=f"in the collection it is a note of another note type "
                                      f"('{kind}'); Anki leaves it as it is"))
                    log["conflicting"] += 1
                continue
            log["unchanged"] += 1  # the import leaves every note we have to sync (older)
            actions.older[question.id] = note.mtime
            if mismatch:
                continue  # refused; one message says why
            _compare(question.id, entry, note, memory, wanted, plan, actions)
            put = memory.notes.get(question.id)
            if put is not None and put.suspended:
                back = [cid for cid, _, suspended, _ in note.cards
                        if suspended and cid in put.suspended]
                if back:
                    actions.unsuspend[question.id] = back
                    plan["restored"].append(replace(
                        entry, detail=f"{len(back)} card(s) sync suspended: unsuspended"))
            home = rules.deck_key(deck.name)
            away = [card for card in note.cards if rules.deck_key(card[1]) != home]
            if away:
                actions.moves.setdefault(deck.name, []).extend(card[0] for card in away)
                leaves = "".join(f" (leaves filtered deck {name})"
                                 for name in sorted({card[3] for card in away if card[3]}))
                plan["wrong_deck"].append(replace(
                    entry, detail=f"{away[0][1]} -> {deck.name}{leaves}"))
    actions.import_log = log
    _descriptions(snap, memory, wanted, plan, actions)
    classify_leftovers(snap, memory, wanted, plan, actions)
    actions.remember = actions.remember or memory.damaged
    parts = {k: tuple(v) for k, v in plan.items()}
    state = "new" if snap.notetype_time is None else (
        "updated" if snap.notetype_time < wanted.notetype_time else "unchanged")
    notice = ("sync's memory in this collection could not be read (changed by hand?): it "
              "counts as empty, so every note that differs from the YAML is kept, and sync "
              "writes a new memory" if memory.damaged else "")
    return Plan(**parts, notetype=state, refusal=refusal, notice=notice), actions  # type: ignore[arg-type]


def _compare(question_id: str, entry: Entry, note: Note, memory: Memory, wanted: Wanted,
             plan: dict[str, list[Entry]], actions: Actions) -> None:
    """Put one note that the collection has in its part of the plan."""
    fields, tag_text = wanted.contents[question_id]
    yaml_tags = tag_text.split()
    put = memory.notes.get(question_id)
    unread = [file for file in (put.files[1:] if put is not None else ())
              if unread_file(file, wanted.read)]
    if unread and not wanted.overwrites(question_id):
        # Its override was not read (a personal folder's variable missing, say): the YAML
        # here is not the whole story, so the note stays as it is.
        plan["unread"].append(replace(entry, detail=f"its override in {shown_file(unread[0])} "
                                                    "was not read this time: kept"))
        return
    current = content_print(note.fields)
    if put is not None:
        edited = current != put.fingerprint
        ours_before: Sequence[str] = put.tags
    else:
        # No memory: ours, unedited, only if it holds a version the ledgers recorded.
        known = wanted.ledger.known(f"note/{question_id}")
        prints = {known.fingerprint, *known.earlier} if known is not None else set()
        built = fingerprint([*note.fields, " ".join(note.tags)]) in prints
        edited = not built and content_print(fields) != current
        # Which tags came from YAML is known only for a version we built; else all stay.
        ours_before = note.tags if built else ()
    forced = edited and wanted.overwrites(question_id)
    tags = merge_tags(note.tags, ours_before, yaml_tags, rules.tag_key)
    before_keys = {rules.tag_key(t) for t in ours_before}
    had = {rules.tag_key(t) for t in note.tags}
    owned = tuple(t for t in yaml_tags
                  if rules.tag_key(t) in before_keys or rules.tag_key(t) not in had)
    differs = _differences(note.fields, fields)
    tags_change = [rules.tag_key(t) for t in tags] != [rules.tag_key(t) for t in note.tags]
    if edited and not forced and differs:
        who = ("edited in Anki since sync put it there" if put is not None else
               "differs from the YAML, and sync has no record of putting it there")
        plan["edited"].append(replace(entry, detail=f"{who}: {', '.join(differs)}; kept "
                                                    f"(--overwrite {question_id} takes the "
                                                    "YAML's)"))
        return
    actions.owned[question_id] = owned
    if not differs and not tags_change:
        plan["unchanged"].append(entry)
        if (put is None or put.fingerprint != current or put.tags != owned
                or put.files != wanted.files.get(question_id, put.files)):
            actions.remember = True
        return
    changed = [*differs, *(["Tags"] if tags_change else [])]
    detail = ", ".join(changed)
    if forced:
        detail += "; replaces your edit in Anki (--overwrite)"
    elif tags_change and set(map(rules.tag_key, note.tags)) - set(map(rules.tag_key, ours_before)):
        detail += "; your own tags kept"
    plan["updated"].append(replace(entry, detail=detail))
    actions.updates.append(Update(note.nid, question_id, tuple(fields), tuple(tags)))


def _differences(mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """The names of the fields whose text differs (as Anki compares text)."""
    return [name for name, one, other in zip(FIELDS, mine, theirs, strict=False)
            if content_print([one]) != content_print([other])] + (
        ["fields"] if len(mine) != len(theirs) else [])


def _descriptions(snap: Snapshot, memory: Memory, wanted: Wanted,
                  plan: dict[str, list[Entry]], actions: Actions) -> None:
    """Which deck descriptions sync changes, and which of the person's it keeps."""
    for name, yaml_text in wanted.descriptions.items():
        deck = snap.decks_by_key.get(rules.deck_key(name))
        if deck is None:
            actions.remember = True  # the import makes the deck with the YAML's description
            continue
        current = deck.description
        remembered = memory.decks.get(name)
        if content_print([current]) == content_print([yaml_text]):
            if remembered != content_print([yaml_text]):
                actions.remember = True
            actions.descriptions[name] = current
            continue
        # An empty description is nobody's edit: Anki leaves a deck it makes for a subdeck's
        # name (the top deck, before it had a description) without one.
        unedited = (remembered == content_print([current]) if remembered is not None
                    else not plain_text(current).strip())
        if unedited or wanted.overwrites_deck(name):
            actions.descriptions[name] = yaml_text
            plan["descriptions_updated"].append(Entry(name, first_words(plain_text(yaml_text))))
        else:
            actions.descriptions[name] = current
            who = ("edited in Anki since sync put it there" if remembered is not None else
                   "differs from the YAML, and sync has no record of writing it")
            plan["descriptions_kept"].append(Entry(name, first_words(plain_text(current)),
                                                   f"{who}; kept (--overwrite '{name}' takes "
                                                   "the YAML's)"))


def _refusal(snap: Snapshot, wanted: Wanted) -> str:
    """Why sync cannot apply any plan to this collection ("" when it can)."""
    if snap.fields and (snap.fields != list(FIELDS) or snap.templates != list(wanted.templates)):
        return (f"the note type '{NOTETYPE_NAME}' was changed in Anki (its fields: "
                f"{', '.join(snap.fields)}; its cards: {', '.join(snap.templates)}). Sync "
                f"needs it as this version has it (fields: {', '.join(FIELDS)}; cards: "
                f"{', '.join(wanted.templates)}). To fix it: in Anki, Tools > Manage Note Types "
                f"> {NOTETYPE_NAME} > Fields and Cards, give back those names, then run sync "
                "again. Nothing changed")
    for deck in wanted.built:
        parts = deck.name.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            found = snap.decks_by_key.get(rules.deck_key(name))
            if found is not None and found.filtered:
                where = "" if depth == len(parts) else "under "
                return (f"the deck '{deck.name}' of your YAML is {where}the filtered deck "
                        f"'{found.name}' in the collection: Anki cannot put "
                        "cards in a filtered deck and would make up another deck for them. "
                        "Rename the YAML deck, or rename or delete the filtered deck in Anki "
                        "(its cards go back home). Nothing changed")
    return ""
