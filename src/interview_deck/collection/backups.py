"""The backup every changing sync makes first: Anki's own (a ``.colpkg`` that File > Switch
Profile > Open Backup restores), in the profile's ``backups`` folder, under a name no other
backup has. Anki names backups by the second, so a second sync within a second would replace
the first; sync makes its backup in a private folder and then places it beside the others
without ever replacing one."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CollectionError
from ..output import uninterrupted

if TYPE_CHECKING:
    from anki.collection import Collection

NAME_FORMAT = "backup-%Y-%m-%d-%H.%M.%S.colpkg"
"""Anki's name for a backup (local time); Anki's own backup thinning reads it."""


def backup_folder(collection: Path) -> Path:
    """Where Anki keeps a profile's backups: ``backups`` beside its collection."""
    return collection.parent / "backups"


def check_backup_folder(folder: Path) -> None:
    """Raise CollectionError unless a backup can be written in ``folder`` (or it can be
    made)."""
    if folder.is_symlink() and not folder.exists():
        raise CollectionError(f"{folder}: the backup folder is a broken link; nothing changed")
    if folder.exists() and not folder.is_dir():
        raise CollectionError(f"{folder} is a file, where Anki keeps this profile's backups: "
                              "move it away (Anki cannot make its own backups either); "
                              "nothing changed")
    existing = folder if folder.exists() else folder.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CollectionError(f"{folder}: cannot write the backup (permission denied); "
                              "nothing changed")


def backup(col: Collection, folder: Path) -> Path:
    """A new backup of ``col`` in ``folder``; its path. Never replaces a backup."""
    check_backup_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _sweep(folder)
        work = Path(tempfile.mkdtemp(prefix=".interview-deck-", dir=folder))
    except OSError as error:
        raise CollectionError(f"{folder}: cannot create the backup: "
                              f"{error.strerror}") from error
    from anki.errors import AnkiException

    try:
        try:
            col.create_backup(backup_folder=str(work), force=True, wait_for_completion=True)
        except AnkiException as error:
            raise CollectionError(f"{folder}: cannot write the backup ({error}); "
                                  "nothing changed") from error
        made = sorted(work.glob("backup-*.colpkg"))
        if not made:
            raise CollectionError(f"{folder}: Anki made no backup; nothing changed")
        return _place(made[-1], folder)
    finally:
        with uninterrupted():
            shutil.rmtree(work, ignore_errors=True)


STALE_SECONDS = 3600


def _sweep(folder: Path) -> None:
    """Remove the private folders of syncs killed (kill -9) before they cleaned up: an hour
    old at least, so never one a running sync still uses."""
    for work in folder.glob(".interview-deck-*"):
        try:
            if work.is_dir() and not work.is_symlink() and (
                    time.time() - work.stat().st_mtime > STALE_SECONDS):
                shutil.rmtree(work, ignore_errors=True)
        except OSError:
            pass  # not ours to worry about: the backup itself goes on


def _place(made: Path, folder: Path) -> Path:
    """Move ``made`` into ``folder`` under Anki's name, a second later while that name is
    taken (a hard link cannot replace a file, so two syncs at once both keep theirs)."""
    try:
        when = datetime.strptime(made.name, NAME_FORMAT)
    except ValueError:
        when = datetime.now().replace(microsecond=0)
    for _ in range(3600):
        target = folder / when.strftime(NAME_FORMAT)
        try:
            _link_or_copy(made, target)
        except FileExistsError:
            when += timedelta(seconds=1)
            continue
        except OSError as error:
            raise CollectionError(f"{target}: cannot write the backup: "
                                  f"{error.strerror}; nothing changed") from error
        return target
    raise CollectionError(f"{folder}: no free backup name in the next hour; nothing changed")


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # a file system without hard links: copy into a file only this call creates
    handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with source.open("rb") as reading, open(handle, "wb") as writing:
            shutil.copyfileobj(reading, writing)
    except BaseException:
        target.unlink(missing_ok=True)  # only this call made it: no half backup stays
        raise
