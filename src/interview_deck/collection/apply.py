"""``interview-deck sync``: the plan (see ``plan``), then Anki's own import of the package we
build, and what an import cannot do: prune our notes that left the sources and move our cards
to the deck their YAML names now.

Only notes of our note type are ever candidates for pruning or moving; every change happens in
one SQLite transaction after a backup, so a collection is the old one or the new one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..apkg.cards import CardTemplates
from ..apkg.revisions import Revisions
from ..apkg.writer import cardless_warning, open_ledger, package_bytes
from ..errors import CollectionError, InterviewDeckError, OutputError
from ..output import write_atomically
from ..selection import Selection, filter_decks
from .locate import backup, backup_folder, check_writable, opened, reading, require_anki
from .plan import Plan, Wanted, known_ids, make_plan

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


def sync(selection: Selection, collection: Path, *, dry_run: bool = False,
         prune: str | None = None, move_cards: bool = False,
         ledger: Revisions | Path | None = None,
         on_plan: Callable[[Plan], None] | None = None,
         on_backup: Callable[[Path], None] | None = None) -> SyncReport:
    """Plan the sync of ``selection`` into ``collection`` and, unless ``dry_run``, apply it.

    ``prune`` (``suspend`` or ``delete``) acts on our notes that left the sources;
    ``move_cards`` moves our cards to their YAML deck. ``ledger`` is the revisions ledger as for
    ``build`` (default: ``default_ledger_path()``), saved before the collection changes (if it
    cannot be saved, nothing changes). ``on_plan`` is
    called with the plan before any change, ``on_backup`` with the backup's path as soon as it
    exists.
    Raises CollectionLocked when Anki has the collection open, CollectionError when it cannot be
    used (read-only, backup folder not writable, another schema), DeckError for problems in the
    decks, InterviewDeckError for ``prune`` with a selection that leaves out a default source
    (see ``Selection.left_out``): a question there would look deleted.
    """
    require_anki()
    if prune is not None and prune not in PRUNE_CHOICES:
        raise ValueError(f"prune must be one of {PRUNE_CHOICES}")
    left_out = selection.left_out()
    if prune and left_out:
        raise InterviewDeckError(
            f"--prune needs every source of your questions, and this selection leaves out "
            f"{' and '.join(left_out)}: a question there would look deleted; run it without "
            "--no-bundled, --no-personal or --personal DIR (or set "
            "INTERVIEW_DECK_PERSONAL_DIR to your folder)")
    everything = replace(selection, tags=(), decks=()).load()
    built = filter_decks(everything, tags=selection.tags, deck_names=selection.decks)
    # The decks whose notes can be pruned: those the selection builds, whatever the tag filter
    # (which applies to the notes' own tags instead).
    scope = filter_decks(everything, deck_names=selection.decks)
    revisions, ledger_path = open_ledger(ledger)
    package = package_bytes(built, revisions=revisions)
    warnings = [cardless_warning(package.cardless)] if package.cardless else []
    wanted = Wanted(built, scope, everything, package.note_times, package.contents,
                    package.notetype_time,
                    [name for name, _, _ in CardTemplates.load().as_list()],
                    known_ids(everything, revisions), selection.tags, selection.decks)

    # The plan comes from a read that changes nothing (and works on a read-only collection);
    # Anki opens the collection only when there is something to change.
    with reading(collection, while_open=dry_run) as query:
        plan, actions = make_plan(query, wanted)
    plan = replace(plan, left_out=left_out)
    if on_plan is not None:
        on_plan(plan)
    if dry_run or plan.refusal or not actions.needed(plan, prune, move_cards):
        return SyncReport(collection, plan, warnings=tuple(warnings))

    folder_of_backups = backup_folder(collection)
    check_writable(collection, folder_of_backups)
    if actions.older:
        package = package_bytes(built, revisions=revisions, older=actions.older)
    with tempfile.TemporaryDirectory(prefix="interview-deck-sync-") as folder:
        apkg = Path(folder) / "interview-deck.apkg"
        write_atomically(apkg, package.data)
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
    if log != actions.import_log:
        warnings.append(f"Anki's import did {_counts(log)}, where the plan said "
                        f"{_counts(actions.import_log)}")
    return SyncReport(collection, plan, applied=True, backup=saved, imported=log,
                      pruned={"suspend": "suspended", "delete": "deleted"}.get(prune or "", ""),
                      pruned_notes={"suspend": actions.suspend_notes,
                                    "delete": len(actions.prune_notes)}.get(prune or "", 0),
                      moved_cards=moved[0], warnings=tuple(warnings))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{number} {name}" for name, number in counts.items())


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
