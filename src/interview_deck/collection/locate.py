"""Anki collections on disk: finding a profile's, checking it is free and in a format we can
change, opening it with the official ``anki`` package, and backing it up with Anki's own backups.

The only module, with ``sync``, that imports ``anki``, and only inside functions: it is an
optional extra (``pip install '.[sync]'`` from a clone), and other commands never load it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CollectionError, CollectionLocked, InterviewDeckError
from ..paths import expand_home, home

if TYPE_CHECKING:
    from anki.collection import Collection

Query = Callable[..., Sequence[Sequence[Any]]]
"""Runs SQL with positional arguments and returns the rows (sqlite3 or Anki's ``col.db.all``)."""

COLLECTION_FILE = "collection.anki2"
# The schema version of every collection Anki has written since 2.1.50 (rslib's
# SCHEMA_MAX_VERSION). Anki upgrades any other version on open, which we must never do behind
# the user's back; older collections are refused instead.
SCHEMA_VERSION = 18
INSTALL_HINT = ("install it where interview-deck is installed: pip install anki (from a clone, "
                "pip install '.[sync]' does the same; with pipx: pipx inject interview-deck anki)")
CLOSE_ANKI = ("close Anki first (or switch it to another profile), then run sync again; with "
              "Anki open, 'interview-deck build --open' imports instead (it adds and updates "
              "notes; pruning and moving cards need Anki closed), and 'sync --dry-run' shows "
              "the plan")
# SQLite's lock bytes (os_unix.c): a reader holds a read lock on PENDING_BYTE while it takes
# one on the SHARED range; a writer's exclusive lock is a write lock on that range.
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
SHARED_SIZE = 510
_LOCKS = sys.platform != "win32"
"""POSIX byte-range locks, as SQLite's; on Windows, reads go through SQLite's own locking."""


def require_anki() -> None:
    """Raise InterviewDeckError, saying how to install it, when ``anki`` is not installed."""
    try:
        import anki.collection  # noqa: F401
    except ImportError as error:
        raise InterviewDeckError(
            f"sync needs the official anki package: {INSTALL_HINT}") from error


def default_base() -> Path:
    """Anki's folder of profiles: ``$ANKI_BASE`` when set (Anki reads it too), else
    ``%APPDATA%\\Anki2`` on Windows, ``~/Library/Application Support/Anki2`` on macOS,
    ``$XDG_DATA_HOME/Anki2`` (``~/.local/share/Anki2``) elsewhere."""
    explicit = os.environ.get("ANKI_BASE")
    if explicit:
        return expand_home(explicit, "ANKI_BASE")
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "Anki2"
    if sys.platform == "darwin":
        return home() / "Library" / "Application Support" / "Anki2"
    data = os.environ.get("XDG_DATA_HOME") or str(home() / ".local" / "share")
    return Path(data) / "Anki2"


def profiles(base: Path) -> list[str]:
    """The profile names in ``base``: its folders holding a collection (so never ``addons21``,
    ``logs`` or other folders of Anki's own). ``prefs21.db`` is never read: it is a pickle."""
    try:
        folders = [entry for entry in base.iterdir() if entry.is_dir()]
    except OSError:
        return []
    return sorted((f.name for f in folders if (f / COLLECTION_FILE).is_file()), key=str.casefold)


def find_collection(collection: Path | None = None, base: Path | None = None,
                    profile: str | None = None) -> Path:
    """The collection file to use: ``collection`` itself, or the profile's in ``base``
    (default: ``default_base()``); the only profile when ``profile`` is None."""
    if collection is not None:
        if not str(collection) or str(collection) == ".":
            raise CollectionError("--collection needs a file name (a profile's "
                                  "collection.anki2)")
        if collection.exists() and not collection.is_file():
            raise CollectionError(f"{collection}: not a regular file (give a collection.anki2)")
        if not collection.is_file():
            try:
                os.stat(collection)
            except FileNotFoundError:
                raise CollectionError(f"{collection}: no such collection file") from None
            except OSError as error:  # a symlink loop, say
                raise CollectionError(f"{collection}: cannot read: {error.strerror}") from None
        return collection
    folder = base if base is not None else default_base()
    names = profiles(folder)
    if not names:
        raise CollectionError(f"{folder}: no Anki profile found here; name the collection with "
                              "--collection FILE, or Anki's folder with --base DIR")
    if profile is None:
        if len(names) == 1:
            return folder / names[0] / COLLECTION_FILE
        listed = "\n".join(f"  {name}" for name in names)
        raise CollectionError(f"{folder} has {len(names)} profiles; choose one with "
                              f"--profile NAME:\n{listed}")
    for name in names:
        if name == profile:
            return folder / name / COLLECTION_FILE
    if profile and (folder / profile).is_dir():
        raise CollectionError(f"{folder / profile}: this profile has no collection "
                              f"({COLLECTION_FILE}) yet; open it once in Anki")
    raise CollectionError(f"{folder}: no profile named '{profile}' (profiles: "
                          f"{', '.join(names)})")


def _describe(version: int) -> str:
    if version > SCHEMA_VERSION:
        return (f"it was written by a newer Anki (schema {version}) than the installed anki "
                f"package understands (schema {SCHEMA_VERSION}); upgrade it: "
                f"pip install -U anki")
    return (f"it is in an older format (schema {version}), which opening it here would "
            f"upgrade; open it once in a current Anki and close it (that keeps schema "
            f"{SCHEMA_VERSION}), or import the .apkg from 'interview-deck build' instead")


def open_elsewhere(path: Path) -> bool:
    """Whether Anki (or another sync) has ``path`` open now, as far as POSIX locks tell."""
    if not _LOCKS:
        return False
    try:
        with _reader_lock(path, needed=True):
            return False
    except CollectionLocked:
        return True


@contextmanager
def reading(path: Path, *, while_open: bool = False) -> Iterator[Query]:
    """Read ``path`` without changing a byte of it or of the files beside it, refused as
    Anki's own open would be refused while Anki (or another sync) has it open; with
    ``while_open``, a consistent copy is read instead then (see ``snapshot``).

    Raises CollectionLocked when Anki has it open, CollectionError when it is not a collection
    or not in the schema version that the installed ``anki`` writes (never upgraded here).
    """
    if while_open and path.is_file() and open_elsewhere(path):
        from .live_copy import snapshot

        with snapshot(path) as copy, reading(copy) as query:
            yield query
        return
    journal = path.with_name(path.name + "-wal")
    shared = path.with_name(path.name + "-shm")
    # An Anki that did not close normally leaves changes in its journal: read them through
    # SQLite read-only, which needs its shared-memory file (removed again if it was not there).
    # Otherwise the file is read as immutable, under the lock a SQLite reader takes: nothing
    # is created or removed (not even an empty journal) and a read-only file or folder works.
    leftover = journal.is_file() and journal.stat().st_size > 0
    had = {p: p.exists() for p in (journal, shared)}
    immutable = not leftover and _LOCKS
    options = "mode=ro&immutable=1" if immutable else "mode=ro"
    with _reader_lock(path, needed=immutable):
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True,
                                         timeout=0, isolation_level=None)
        except sqlite3.Error as error:
            raise CollectionError(f"{path}: cannot open the collection: {error}") from error
        try:
            try:
                connection.execute("BEGIN")
                row = connection.execute("SELECT ver FROM col").fetchone()
            except sqlite3.OperationalError as error:
                if "locked" in str(error) or "busy" in str(error):
                    raise CollectionLocked(f"{path} is open in Anki (or another sync): "
                                           f"{CLOSE_ANKI}") from error
                if leftover and not os.access(path.parent, os.W_OK):
                    raise CollectionError(
                        f"{path}: cannot read the changes Anki left in {journal.name} without "
                        f"write access to its folder ({error})") from error
                raise CollectionError(f"{path}: not an Anki collection ({error})") from error
            except sqlite3.DatabaseError as error:
                raise CollectionError(f"{path}: not an Anki collection ({error})") from error
            version = int(row[0]) if row else 0
            if version != SCHEMA_VERSION:
                raise CollectionError(f"{path}: left unchanged: {_describe(version)}")

            def query(sql: str, *args: Any) -> list[Sequence[Any]]:
                return connection.execute(sql, args).fetchall()

            yield query
            connection.execute("COMMIT")
        finally:
            connection.close()
            for beside, existed in had.items():
                if not existed:
                    beside.unlink(missing_ok=True)


@contextmanager
def _reader_lock(path: Path, needed: bool) -> Iterator[None]:
    """Hold the read lock SQLite's readers take on ``path`` (POSIX), so that no Anki opens it
    meanwhile; CollectionLocked when one has it open (its lock is exclusive)."""
    if not needed:
        yield
        return
    import fcntl

    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError as error:
        raise CollectionError(f"{path}: cannot read it ({error.strerror})") from error
    try:
        try:
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, PENDING_BYTE)
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB, SHARED_SIZE, SHARED_FIRST)
            fcntl.lockf(handle, fcntl.LOCK_UN, 1, PENDING_BYTE)
        except OSError as error:
            raise CollectionLocked(f"{path} is open in Anki (or another sync): "
                                   f"{CLOSE_ANKI}") from error
        yield
    finally:
        os.close(handle)  # releases the locks


def check_writable(path: Path) -> None:
    """Raise CollectionError unless sync can write ``path`` and its folder (checked before
    Anki opens the collection, which creates files beside it)."""
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)):
        raise CollectionError(f"{path}: read-only: sync needs to write {path} and its "
                              "folder; nothing changed")


@contextmanager
def opened(path: Path) -> Iterator[Collection]:
    """``path`` opened with the official ``anki`` package (checked first with ``reading``),
    closed at the end without a downgrade; CollectionLocked when Anki has it open. The media
    folder and database Anki creates on opening are removed again when they were not there
    and stayed empty."""
    with reading(path):
        pass
    from anki.collection import Collection
    from anki.errors import DBError
    from anki.media import media_paths_from_col_path

    media = [Path(p) for p in media_paths_from_col_path(str(path))]
    missing = [p for p in media if not p.exists()]
    try:
        try:
            col = Collection(str(path))
        except DBError as error:
            if "already open" in str(error) or "locked" in str(error):
                raise CollectionLocked(f"{path} is open in Anki (or another sync): "
                                       f"{CLOSE_ANKI}") from error
            raise CollectionError(f"{path}: Anki cannot open it: {error}") from error
        try:
            yield col
        finally:
            col.close()
    finally:
        for created in missing:
            if created.is_dir():
                if not any(created.iterdir()):
                    created.rmdir()
            else:
                created.unlink(missing_ok=True)
