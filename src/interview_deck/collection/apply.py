"""``interview-deck sync``: the plan (see ``compare``), then the change: Anki's own import adds
new notes and updates the note type; sync itself rewrites the notes whose YAML changed (only
the tags that came from YAML), keeps every note and description edited in Anki, prunes only
notes it made, moves cards, and remembers in the collection what it put there (``memory``).

Only notes of our note type are ever candidates for pruning or moving; every change happens in
one SQLite transaction after a backup of its own, so a collection is the old one or the new
one. Once that transaction is committed, an interrupt no longer stops the run: it reports.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..apkg.cards import CardTemplates
from ..apkg.identity import note_guid
from ..apkg.revisions import Revisions
from ..apkg.writer import NOTETYPE_ID, cardless_warning, open_ledger, package_bytes
from ..errors import CollectionError, OutputError
from ..model import Deck
from ..output import HeldInterrupts, uninterrupted
from ..paths import source_key
from ..selection import Selection, filter_decks
from ..sources import rules
from ..text import to_html
from .backups import backup, backup_folder, check_backup_folder
from .compare import make_plan
from .locate import check_writable, opened, reading, require_anki
from .memory import CONFIG_KEY, Memory, Put, content_print, read_memory
from .plan import Actions, Plan, Wanted

PRUNE_CHOICES = ("suspend", "delete")


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
    """The backup of the collection made before the change."""

    imported: dict[str, int] = field(default_factory=dict)
    """Anki's import log: new, updated, unchanged (duplicates) and conflicting notes."""

    pruned: str = ""
    """``suspended`` or ``deleted`` when notes that left the sources were pruned."""

    pruned_notes: int = 0
    """How many notes were pruned."""

    moved_cards: int = 0
    """How many cards moved to the deck their YAML names."""

    interrupted: bool = False
    """True when an interrupt arrived after the change was committed (it was finished)."""

    held: HeldInterrupts | None = field(default=None, compare=False)
    """With ``hold_interrupts``: interrupts held since the commit, for the caller to release
    once it has reported the change."""

    warnings: tuple[str, ...] = ()
    """Things the user should know; the collection is fine."""


def sync(selection: Selection, collection: Path, *, dry_run: bool = False,
         prune: str | None = None, move_cards: bool = False,
         ledger: Revisions | Path | None = None, overwrite: Sequence[str] = (),
         overwrite_all: bool = False, hold_interrupts: bool = False,
         on_plan: Callable[[Plan], None] | None = None,
         on_backup: Callable[[Path], None] | None = None) -> SyncReport:
    """Plan the sync of ``selection`` into ``collection`` and, unless ``dry_run``, apply it.

    ``prune`` (``suspend`` or ``delete``) acts on notes sync made whose question left the
    sources; ``move_cards`` moves our cards to their YAML deck; ``overwrite`` names question
    ids and deck names whose YAML wins over an edit made in Anki, ``overwrite_all`` makes it win
    everywhere. Once the change is committed, interrupts are held back; ``hold_interrupts``
    leaves them held (``SyncReport.held``) until the caller has reported it. ``ledger`` is the
    revisions ledger as for ``build`` (default: ``default_ledger_path()``), saved before the
    collection changes (if it cannot be saved, nothing changes). ``on_plan`` is called with the
    plan before any change, ``on_backup`` with the backup's path as soon as it exists.
    Raises CollectionLocked when Anki has the collection open, CollectionError when it cannot be
    used (read-only, backup folder not writable, another schema), DeckError for problems in the
    decks.
    """
    require_anki()
    if prune is not None and prune not in PRUNE_CHOICES:
        raise ValueError(f"prune must be one of {PRUNE_CHOICES}")
    left_out = selection.left_out()
    everything = replace(selection, tags=(), decks=(), skip_tags=()).load()
    built = filter_decks(everything, tags=selection.tags, deck_names=selection.decks,
                         skip_tags=selection.skip_tags)
    # The decks whose notes can be pruned: those the selection builds, whatever the tag filter
    # (which applies to the notes' own tags instead).
    scope = filter_decks(everything, deck_names=selection.decks)
    revisions, ledger_path = open_ledger(ledger)
    package = package_bytes(built, revisions=revisions)
    warnings = [cardless_warning(package.cardless)] if package.cardless else []
    read = frozenset(source_key(str(path)) for path in selection.input_files())
    descriptions = _descriptions(built)
    wanted = Wanted(built, scope, everything, package.note_times, package.contents,
                    package.notetype_time,
                    [name for name, _, _ in CardTemplates.load().as_list()],
                    revisions, read, descriptions, frozenset(overwrite), left_out,
                    selection.tags, selection.decks, selection.skip_tags,
                    overwrite_all=overwrite_all, files=_files(built))
    deck_keys = {rules.deck_key(name) for name in descriptions}
    warnings.extend(f"--overwrite {value}: no question or deck of this sync has that name"
                    for value in overwrite
                    if value not in package.note_times and rules.deck_key(value) not in deck_keys)

    # The plan comes from a read that changes nothing (and works on a read-only collection);
    # Anki opens the collection only when there is something to change.
    with reading(collection, while_open=dry_run) as query:
        plan, actions = make_plan(query, wanted)
    plan = replace(plan, left_out=left_out)
    if plan.notice:
        warnings.append(plan.notice)
    if on_plan is not None:
        on_plan(plan)
    if dry_run or plan.refusal or not actions.needed(plan, prune, move_cards):
        return SyncReport(collection, plan, warnings=tuple(warnings))

    folder_of_backups = backup_folder(collection)
    check_writable(collection)
    check_backup_folder(folder_of_backups)
    # Every note the collection has goes into the package with its own time, so Anki's import
    # leaves it to sync: the import only adds notes and updates the note type.
    package = package_bytes(built, revisions=revisions, older=actions.older)
    folder = Path(tempfile.mkdtemp(prefix="interview-deck-sync-"))
    held: HeldInterrupts | None = None
    try:
        apkg = folder / "interview-deck.apkg"
        apkg.write_bytes(package.data)
        with opened(collection) as col:
            db = col.db
            assert db is not None, "an open collection has a database"
            again, actions = make_plan(db.all, wanted)
            if replace(again, left_out=left_out) != plan:
                raise CollectionError(f"{collection} changed while sync was planning; "
                                      "nothing changed: run sync again")
            # Recorded before any note reaches Anki (as for build): a note with an unrecorded
            # time could make Anki skip a later change. Saving merges, under the ledger's lock.
            if ledger_path is not None and revisions.changed:
                try:
                    revisions.save(ledger_path)
                except OutputError as error:
                    raise OutputError(f"could not record revisions: {error}; the collection "
                                      "was not changed") from error
            saved = backup(col, folder_of_backups)
            if on_backup is not None:
                on_backup(saved)
            change = _Change(col, apkg, plan, actions, wanted, prune, move_cards)

            def apply() -> None:
                nonlocal held
                change.run()
                held = HeldInterrupts()  # from here the commit, then the report, come what may

            # One transaction: Anki's operations nest inside it as savepoints, so a kill at any
            # point leaves the collection as it was or as the plan says, never in between.
            from anki.errors import AnkiException

            try:
                db.transact(apply)
            except AnkiException as error:
                raise CollectionError(f"{collection}: Anki could not apply the sync ({error}); "
                                      "the collection is as it was") from error
    except BaseException:
        if held is not None:
            held.release()
        raise
    finally:
        with uninterrupted():
            shutil.rmtree(folder, ignore_errors=True)
    interrupted = False
    if held is not None and not hold_interrupts:
        interrupted, held = held.release(), None
    if change.log and change.log != actions.import_log:
        warnings.append(f"Anki's import did {_counts(change.log)}, where the plan said "
                        f"{_counts(actions.import_log)}")
    return SyncReport(collection, plan, applied=True, backup=saved, imported=change.log,
                      pruned={"suspend": "suspended", "delete": "deleted"}.get(prune or "", ""),
                      pruned_notes={"suspend": actions.suspend_notes,
                                    "delete": len(actions.prune_notes)}.get(prune or "", 0),
                      moved_cards=change.moved, interrupted=interrupted,
                      held=held, warnings=tuple(warnings))


def _descriptions(decks: Sequence[Deck]) -> dict[str, str]:
    """Each deck's description as the package gives it (the first one written, per deck)."""
    found: dict[str, str] = {}
    for deck in decks:
        if not found.get(deck.name):
            found[deck.name] = to_html(deck.description)
    return found


def _files(decks: Sequence[Deck]) -> dict[str, tuple[str, ...]]:
    """Each question's deck file, then the file of the override that changed it."""
    return {question.id: (source_key(deck.file), *([source_key(question.overridden_in)]
                                                    if question.overridden_in else []))
            for deck in decks for question in deck.questions}


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{number} {name}" for name, number in counts.items())


class _Change:
    """The changes of one sync, made inside its transaction."""

    def __init__(self, col: Any, apkg: Path, plan: Plan, actions: Actions, wanted: Wanted,
                 prune: str | None, move_cards: bool) -> None:
        self.col, self.apkg, self.plan, self.actions = col, apkg, plan, actions
        self.wanted, self.prune, self.move_cards = wanted, prune, move_cards
        self.log: dict[str, int] = {}
        self.moved = 0

    def run(self) -> None:
        from anki.cards import CardId
        from anki.notes import NoteId

        col, actions = self.col, self.actions
        memory = read_memory(col.db.all)
        if self.plan.new or self.plan.notetype != "unchanged":
            self.log = _import(col, self.apkg)
        for update in actions.updates:
            note = col.get_note(NoteId(update.nid))
            note.fields[:] = list(update.fields)
            note.tags = list(update.tags)
            col.update_note(note, skip_undo_entry=True)
        for cards in actions.unsuspend.values():
            col.sched.unsuspend_cards([CardId(c) for c in cards])
        if self.prune == "suspend" and actions.prune_cards:
            col.sched.suspend_cards([CardId(c) for c in actions.prune_cards])
        elif self.prune == "delete" and actions.prune_notes:
            col.remove_notes([NoteId(n) for n in actions.prune_notes])
        if self.move_cards:
            for deck_name, cards in actions.moves.items():
                deck = col.decks.id(deck_name, create=True)
                assert deck is not None, "create=True always gives a deck"
                self.moved += col.set_deck([CardId(c) for c in cards], deck).count
        for name, description in actions.descriptions.items():
            deck = col.decks.by_name(name)
            if deck is not None and not deck.get("dyn") and deck.get("desc", "") != description:
                deck["desc"] = description
                col.decks.save(deck)
        col.set_config(CONFIG_KEY, self.remembered(memory).as_json())

    def remembered(self, memory: Memory) -> Memory:
        """The memory after this sync: what each note and description now holds, for every
        question and deck sync wrote or confirmed; the old record for what it kept."""
        wanted, plan = self.wanted, self.plan
        kept = {entry.id for entry in (*plan.edited, *plan.unread)}
        stored = {str(guid): (int(mod), str(flds).split("\x1f")) for guid, mod, flds in
                  self.col.db.all("SELECT guid, mod, flds FROM notes WHERE mid = ?",
                                  NOTETYPE_ID)}
        notes = dict(memory.notes)
        for deck in wanted.built:
            for question in deck.questions:
                found = stored.get(note_guid(question.id))
                if question.id not in wanted.times or found is None or question.id in kept:
                    continue
                mod, fields = found
                tags = self.actions.owned.get(question.id)
                if tags is None:  # a new note: every tag of its YAML is ours
                    tags = tuple(wanted.contents[question.id][1].split())
                notes[question.id] = Put(content_print(fields), mod,
                                         wanted.files[question.id], tags)
        for question_id in self.actions.unsuspend:  # done once, also for a note kept as it is
            if question_id in notes:
                notes[question_id] = replace(notes[question_id], suspended=())
        if self.prune == "delete":
            for entry in plan.left:
                notes.pop(entry.id, None)
        elif self.prune == "suspend":
            for question_id, cards in self.actions.pruned_by_id.items():
                put = notes.get(question_id)
                if put is not None:
                    notes[question_id] = replace(put, suspended=(*put.suspended, *cards))
        decks = dict(memory.decks)
        kept_decks = {entry.id for entry in plan.descriptions_kept}
        for name in wanted.descriptions:
            deck = self.col.decks.by_name(name)
            if deck is not None and name not in kept_decks:
                decks[name] = content_print([deck.get("desc", "")])
        return Memory(notes, decks)


# Where Anki keeps the choices of its import dialog: the importer writes the options it was
# given there, so sync puts the user's own back afterwards.
IMPORT_PRESETS = ("mergeNotetypes", "withScheduling", "withDeckConfigs", "updateNotes",
                  "updateNotetypes")


def _import(col: Any, package: Path) -> dict[str, int]:
    """Import ``package`` as File > Import does with Anki's default options (update a note only
    when ours is newer, never merge note types), whatever the user last chose in the dialog."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    presets = {key: col.get_config(key, None) for key in IMPORT_PRESETS}
    response = col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()))
    for key, value in presets.items():
        if value is None:
            col.remove_config(key)
        else:
            col.set_config(key, value)
    log = response.log
    return {"new": len(log.new), "updated": len(log.updated), "unchanged": len(log.duplicate),
            "conflicting": len(log.conflicting)}
