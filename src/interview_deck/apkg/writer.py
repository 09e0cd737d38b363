"""Model objects to an Anki package (``.apkg``). The only module that imports genanki.

genanki provides Anki's schema, the note type and deck definitions; the note and card rows are
written here directly, so that each note carries its own modification time (see ``revisions``)
and the archive is compressed and byte-identical for the same input.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from ..errors import ArgumentError, DeckError, OutputError
from ..model import Deck, Question
from ..output import check_writable, locked, refuse_inputs, uninterrupted, write_atomically
from ..paths import bundled_decks_dir, source_key
from ..sources import rules
from ..text import to_html
from .cards import FIELDS, NOTETYPE_NAME, CardTemplates, card_ordinals, new_positions, note_fields
from .handoff import refuse_restore_name
from .identity import deck_id, fixed_id, note_guid
from .revisions import (
    BUNDLED_FILE,
    Revision,
    Revisions,
    default_ledger_path,
    fingerprint,
    read_file,
)

NOTETYPE_ID = fixed_id("notetype/interview-question/v1")
NOTETYPE_KEY = "notetype"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, and anything the user should know about it."""

    path: Path
    """The ``.apkg`` file."""

    decks: int
    """Number of decks in the package."""

    notes: int
    """Number of notes (one per question)."""

    cards: int
    """Number of cards: one per card kind a note's deck wants and its content allows."""

    size: int
    """Size of the file in bytes."""

    warnings: tuple[str, ...] = ()
    """Things that went wrong without spoiling the package (e.g. the ledger was not saved)."""


def shipped_revisions() -> Revisions:
    """A ledger holding only the revisions shipped with the bundled decks."""
    return Revisions(base=_shipped())


def _shipped() -> dict[str, Revision]:
    return read_file(bundled_decks_dir() / BUNDLED_FILE)


@dataclass(frozen=True, slots=True)
class _Package:
    """An ``.apkg`` archive in memory, and what it holds."""

    data: bytes
    decks: int
    notes: int
    cards: int
    note_times: dict[str, int]
    """Each question id's note modification time (what Anki's import compares)."""
    notetype_time: int
    """The note type's modification time."""
    contents: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    """Each question id's note fields and tags (space-separated), as the package holds them."""
    cardless: tuple[str, ...] = ()
    """Ids of questions left out because their deck's ``cards:`` gives them no card (only
    possible with ``check=False``: the rules refuse such a question)."""


def write_package(
    decks: Sequence[Deck],
    path: Path | str,
    *,
    revisions: Revisions | Path | str | None = None,
    templates: CardTemplates | None = None,
    progress: Callable[[int, int], None] | None = None,
    check: bool = True,
) -> BuildResult:
    """Check ``decks`` and write them to ``path`` as one ``.apkg``, atomically.

    ``revisions`` decides each note's modification time (see ``revisions``): a ledger file
    (default: ``default_ledger_path()``, as the command line uses), read and updated under a
    lock, and saved before the package is written (if it cannot be saved, nothing is written);
    or a ``Revisions`` object you keep and save yourself.
    ``progress`` is called with (notes done, notes in all) as the work goes on. ``check=False``
    skips the rules for decks that ``load_decks`` returned (it has checked them already).
    Raises DeckError (nothing written) when a deck breaks a rule, OutputError when writing fails.
    """
    _check_arguments(decks, path, revisions, templates, progress)
    problems = rules.check_decks(decks) if check else []
    if problems:
        raise DeckError(problems)
    target = Path(path)
    refuse_restore_name(target)
    check_writable(target)  # before anything else changes
    if not isinstance(revisions, Revisions):
        ledger_file = Path(revisions) if revisions is not None else default_ledger_path()
        refuse_inputs(target, [ledger_file], "the revisions ledger")
    if isinstance(revisions, Revisions):
        package = package_bytes(decks, revisions=revisions, templates=templates,
                                progress=progress)
        write_atomically(target, package.data)
        return _result(target, package)
    ledger_path = Path(revisions) if revisions is not None else default_ledger_path()
    # The ledger is read, updated and saved under its lock, and saved before the package is
    # in place: a package whose times are not recorded could keep Anki from taking a later
    # change (a revert would reuse an old time, and Anki would skip the note).
    with locked(ledger_path):
        ledger = Revisions.load(ledger_path, base=_shipped())
        package = package_bytes(decks, revisions=ledger, templates=templates, progress=progress)
        with uninterrupted():
            if ledger.changed:
                try:
                    ledger.save(ledger_path)
                except OutputError as error:
                    raise OutputError(
                        f"could not record revisions: {error}; nothing written (a package "
                        "ahead of its ledger could keep Anki from taking later changes)"
                    ) from error
                recorded = True
            else:
                recorded = False
            try:
                write_atomically(target, package.data)
            except OutputError as error:
                if recorded:
                    raise OutputError(
                        f"{error} (the revisions ledger {ledger_path} was updated; that is "
                        "harmless: the next build gives the same notes the same times)"
                    ) from error
                raise
    return _result(target, package)


def _check_arguments(decks: object, path: object, revisions: object, templates: object,
                     progress: object) -> None:
    """ArgumentError naming the first parameter of ``write_package`` given the wrong kind."""
    for name, value, ok, expected in (
        ("decks", decks, isinstance(decks, Sequence) and not isinstance(decks, (str, Deck)),
         "a list of Deck"),
        ("path", path, isinstance(path, (str, os.PathLike)) and bool(str(path)),
         "the file to write (a str or Path)"),
        ("revisions", revisions, revisions is None or isinstance(
            revisions, (Revisions, str, os.PathLike)), "a Revisions or a ledger file's path"),
        ("templates", templates, templates is None or isinstance(templates, CardTemplates),
         "a CardTemplates"),
        ("progress", progress, progress is None or callable(progress), "a function"),
    ):
        if not ok:
            shown = "''" if value == "" else type(value).__name__
            raise ArgumentError(f"write_package: '{name}' must be {expected}, not {shown}")


def _result(target: Path, package: _Package) -> BuildResult:
    warnings: list[str] = []
    if package.cardless:
        warnings.append(cardless_warning(package.cardless))
    return BuildResult(target, package.decks, package.notes, package.cards, len(package.data),
                       tuple(warnings))


def cardless_warning(cardless: Sequence[str]) -> str:
    """The warning for questions left out of a package because they would have no card."""
    shown = ", ".join(cardless[:5]) + (", ..." if len(cardless) > 5 else "")
    return (f"{len(cardless)} question(s) left out: their deck's 'cards:' "
            f"choice gives them no card ({shown})")


def open_ledger(revisions: Revisions | Path | str | None) -> tuple[Revisions, Path | None]:
    """The ledger to build with (see ``write_package``), and the file to save it to (None for
    a ``Revisions`` object the caller keeps)."""
    if isinstance(revisions, Revisions):
        return revisions, None
    ledger_path = Path(revisions) if revisions is not None else default_ledger_path()
    return Revisions.load(ledger_path, base=_shipped()), ledger_path


def package_bytes(
    decks: Sequence[Deck],
    *,
    revisions: Revisions | None = None,
    templates: CardTemplates | None = None,
    progress: Callable[[int, int], None] | None = None,
    older: Mapping[str, int] | None = None,
) -> _Package:
    """The ``.apkg`` archive for already-checked ``decks``, in memory. ``older`` gives question
    ids a note time to use instead of the ledger's when it is earlier (so that Anki's import
    leaves those notes alone)."""
    ledger = revisions if revisions is not None else shipped_revisions()
    style = templates if templates is not None else CardTemplates.load()
    model = _genanki_model(style)
    model_time = ledger.time_for(NOTETYPE_KEY, fingerprint(_notetype_parts(style)))

    notes: list[tuple[Any, ...]] = []
    cards: list[tuple[Any, ...]] = []
    deck_rows: dict[int, dict[str, Any]] = {}
    rows: list[tuple[Question, list[str], str, int, int, list[int]]] = []
    cardless: list[str] = []
    if duplicated := rules.duplicate_id_problems(decks):
        raise DeckError(duplicated)
    for deck in decks:
        source = source_key(deck.file)
        did = deck_id(deck.name)
        if did not in deck_rows or not deck_rows[did]["desc"]:
            deck_rows[did] = genanki.Deck(did, deck.name, to_html(deck.description)).to_json()
        for question in deck.questions:
            fields = note_fields(question, deck)
            tags = " ".join(question.tags)
            ordinals = card_ordinals(fields, style)
            if not ordinals:  # the rules refuse these; unchecked, Anki would add an empty card
                cardless.append(question.id)
                continue
            mtime = ledger.time_for(f"note/{question.id}", fingerprint([*fields, tags]),
                                    file=source)
            if older and question.id in older:
                mtime = min(mtime, older[question.id])
            rows.append((question, fields, f" {tags} " if tags else "", mtime, did, ordinals))

    first_id = max([model_time, *(row[3] for row in rows)]) * 1000
    per_note = len(style.as_list())
    positions = new_positions([row[5] for row in rows])
    for index, (question, fields, tags, mtime, did, ordinals) in enumerate(rows):
        note_id = first_id + index
        plain = question.question.strip()
        checksum = int(hashlib.sha1(plain.encode()).hexdigest()[:8], 16)
        notes.append((note_id, note_guid(question.id), NOTETYPE_ID, mtime, -1, tags,
                      "\x1f".join(fields), plain, checksum, 0, ""))
        for rank, ordinal in enumerate(ordinals):
            cards.append((first_id + per_note * index + ordinal, note_id, did, ordinal, mtime, -1,
                          0, 0, positions[index][rank], 0, 0, 0, 0, 0, 0, 0, 0, ""))
        if progress is not None and index % 1000 == 999:
            progress(index + 1, len(rows))

    default_deck = next(iter(deck_rows)) if deck_rows else 1
    model_json = model.to_json(model_time, default_deck)
    database = _database(notes, cards, deck_rows, {str(NOTETYPE_ID): model_json})
    archive = _archive(database)
    if progress is not None:
        progress(len(rows), len(rows))
    times = {row[0].id: row[3] for row in rows}
    contents = {row[0].id: (tuple(row[1]), row[2].strip()) for row in rows}
    return _Package(archive, len(deck_rows), len(notes), len(cards), times, model_time,
                    contents, tuple(cardless))


def _notetype_parts(style: CardTemplates) -> list[str]:
    return [NOTETYPE_NAME, *FIELDS, *(part for card in style.as_list() for part in card),
            style.css]


def _genanki_model(style: CardTemplates) -> Any:
    return genanki.Model(
        NOTETYPE_ID,
        NOTETYPE_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": name, "qfmt": front, "afmt": back}
                   for name, front, back in style.as_list()],
        css=style.css,
        sort_field_index=0,
    )


def _database(notes: list[tuple[Any, ...]], cards: list[tuple[Any, ...]],
              decks: dict[int, dict[str, Any]], models: dict[str, Any]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="interview-deck-") as folder:
        file = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(file)
        try:
            connection.execute("PRAGMA journal_mode=OFF")
            connection.execute("PRAGMA synchronous=OFF")
            # Tables first, indexes after the rows: SQLite builds an index faster in one go.
            tables, indexes = _split_schema(APKG_SCHEMA)
            connection.executescript(tables)
            connection.executescript(APKG_COL)
            all_decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
            all_decks.update({str(did): row for did, row in decks.items()})
            connection.execute("UPDATE col SET decks = ?, models = ?",
                               (json.dumps(all_decks, sort_keys=True),
                                json.dumps(models, sort_keys=True)))
            connection.executemany(
                "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
            connection.executemany(
                "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
            connection.executescript(indexes)
            connection.commit()
        finally:
            connection.close()
        return file.read_bytes()


def _split_schema(schema: str) -> tuple[str, str]:
    """Anki's schema as (everything but the indexes, the CREATE INDEX statements)."""
    statements = [part.strip() for part in schema.split(";") if part.strip()]
    indexes = [st for st in statements if st.upper().startswith("CREATE INDEX")]
    others = [st for st in statements if st not in indexes]
    return ";\n".join(others) + ";", ";\n".join(indexes) + ";" if indexes else ""


def _archive(database: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("collection.anki2", database), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            # Level 3: within a few percent of the best size, several times faster than 9.
            archive.writestr(info, data, compresslevel=3)
    return buffer.getvalue()
