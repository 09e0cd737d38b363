"""A consistent copy of a collection that Anki has open, for a dry run, which only reads.

While it runs, Anki holds its collection with SQLite's exclusive locking mode: no other program
can read it through SQLite. Its changes go first to the journal (``collection.anki2-wal``),
which SQLite replays when the database is next opened, ignoring a transaction that is only
partly written. So a copy of the database and its journal, taken while neither changed, is a
state Anki committed. Here both files are only ever opened for reading (never locked, so Anki
never waits for us), read twice, and the copy is kept only when the two reads agree byte for
byte, the files' size and times did not move meanwhile, and SQLite's quick_check passes on the
copy. Otherwise it tries again a few times, then says so: the plan is never made from a torn
copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import CollectionError, CollectionLocked

ATTEMPTS = 5
"""How many times to try for two equal reads before giving up."""

_SETTLE_SECONDS = 0.05
"""Time between the two reads: longer than the file system's clock tick, so that a write
between them changes the files' times as well as their bytes."""


@contextlib.contextmanager
def snapshot(path: Path) -> Iterator[Path]:
    """A private copy of the collection at ``path`` (and its journal, replayed), removed
    afterwards. CollectionLocked when the files kept changing while they were read."""
    with tempfile.TemporaryDirectory(prefix="interview-deck-snapshot-") as folder:
        copy = Path(folder) / path.name
        for attempt in range(ATTEMPTS):
            if _copy_when_still(path, copy):
                yield copy
                return
            time.sleep(0.2 * (attempt + 1))
        raise CollectionLocked(f"{path} is open in Anki, which kept changing it while it was "
                               "read; try again in a moment, or close Anki")


def _copy_when_still(path: Path, copy: Path) -> bool:
    """Copy ``path`` and its journal to ``copy``; False when they changed while being read."""
    sources = [path, path.with_name(path.name + "-wal")]
    targets = [copy, copy.with_name(copy.name + "-wal")]
    for target in targets:
        target.unlink(missing_ok=True)
    before = [_state(source) for source in sources]
    if before[0] is None:
        raise CollectionError(f"{path}: no such collection file")
    first = [_read(source, target) for source, target in zip(sources, targets, strict=True)]
    time.sleep(_SETTLE_SECONDS)
    second = [_read(source, None) for source in sources]
    if first != second or [_state(source) for source in sources] != before:
        return False
    return _intact(copy)


def _state(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CollectionError(f"{path}: cannot read it ({error.strerror})") from error
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _read(source: Path, target: Path | None) -> str | None:
    """The SHA-256 of ``source`` (None when it does not exist), copied to ``target`` if given.
    Opened read-only: nothing of Anki's is ever written, created or locked."""
    digest = hashlib.sha256()
    try:
        stream = open(source, "rb")  # noqa: SIM115 - closed below, with the copy
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CollectionError(f"{source}: cannot read it ({error.strerror})") from error
    with stream, (open(target, "xb") if target is not None else contextlib.nullcontext()) as out:
        while block := stream.read(1 << 20):
            digest.update(block)
            if out is not None:
                out.write(block)
    return digest.hexdigest()


def _unicase(one: str, other: str) -> int:
    a, b = one.casefold(), other.casefold()
    return (a > b) - (a < b)


def _intact(copy: Path) -> bool:
    """Replay the copy's journal into it; CollectionError unless it is a sound database (the
    two reads agreed, so the fault is in the collection itself, not in the copy)."""
    try:
        connection = sqlite3.connect(copy, isolation_level=None)
        # Anki's indexes name its case-insensitive collation; reading them needs one by that name.
        connection.create_collation("unicase", _unicase)
        try:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()  # the last connection checkpoints the journal into the copy
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        raise CollectionError(f"{copy.name}: not an Anki collection, or a damaged one "
                              f"({verdict}); a dry run reads nothing else")
    return True
