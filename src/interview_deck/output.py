"""Writing files without ever losing what was there.

* A regular file is replaced atomically: a temporary file in the same folder, then a rename.
  A symlink is written through (the link stays, its target changes) and the file keeps its
  permission bits; a read-only file is refused, never silently replaced.
* A FIFO or a character device (``/dev/null``, ``/dev/stdout``) is written into as a stream,
  never renamed over; other special files and folders are refused.
* ``locked`` serialises read-modify-write cycles between processes (a lock file beside the
  target, so it survives the atomic rename of the target itself).
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InterviewDeckError, OutputError

LOCK_TIMEOUT = 300.0
"""Seconds to wait for another interview-deck process to finish with a file."""

_written: list[Path] = []
_held: set[Path] = set()

_INTERRUPTS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                    if hasattr(signal, name))


def final_target(path: Path | str) -> Path:
    """The file a write to ``path`` changes: symlinks followed (even a dangling one)."""
    return Path(os.path.realpath(path))


def write_atomically(path: Path | str, data: bytes) -> None:
    """Put ``data`` in ``path`` all at once; on failure the old content is untouched.

    Raises OutputError (nothing changed) for a read-only file, a folder, a block device or a
    socket, a FIFO nobody reads, or when the disk is full.
    """
    path = Path(path)
    info = _writable_info(path)
    if info is not None and not stat.S_ISREG(info.st_mode):
        # Into what the path names (/dev/stdout is a link to a pipe that has no real path).
        _stream_into(path, path, data, fifo=stat.S_ISFIFO(info.st_mode))
        return
    target = final_target(path)
    folder = target.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError as error:
            raise OutputError(f"{path}: cannot write: {folder} is a file, not a folder"
                              ) from error
        except OSError as error:
            raise OutputError(f"{folder}: cannot create folder: {error.strerror}") from error
    try:
        # A short name of fixed length: any name legal for the target fits (255 bytes).
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".interview-deck.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if info is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        else:
            os.chmod(temp, stat.S_IMODE(info.st_mode))
            if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.chown(temp, info.st_uid, info.st_gid)
        with uninterrupted():
            os.replace(temp, target)
            _written.append(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def written() -> tuple[Path, ...]:
    """Every file this process has changed so far, in order (for an honest "Aborted!")."""
    return tuple(_written)


def check_writable(path: Path | str) -> None:
    """Raise OutputError now for an output that writing would refuse or fail on (a folder, a
    read-only file, a symlink loop, a folder that is a file...), so that nothing else is changed
    first (the ledger is saved before the package)."""
    path = Path(path)
    info = _writable_info(path)
    if info is None:
        parent = final_target(path).parent
        try:
            if parent.exists() and not parent.is_dir():
                raise OutputError(f"{path}: cannot write: {parent} is a file, not a folder")
        except OSError as error:
            raise OutputError(f"{path}: cannot write: {error.strerror or error}") from error


def _writable_info(path: Path) -> os.stat_result | None:
    """What ``path`` is now (None: nothing yet), or OutputError for what cannot be written."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from error
    mode = info.st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISCHR(mode) and not stat.S_ISFIFO(mode):
        raise OutputError(f"{path}: {_kind(mode)}; choose a file name to write to")
    if stat.S_ISREG(mode) and not mode & 0o222:
        raise OutputError(f"{path}: the file is read-only; make it writable (chmod u+w) or "
                          "choose another file")
    return info


def _stream_into(path: Path, target: Path, data: bytes, *, fifo: bool) -> None:
    """Write ``data`` into a FIFO or character device as it is, without replacing it."""
    try:
        # Non-blocking open: a FIFO with no reader fails at once instead of hanging.
        handle = os.open(target, os.O_WRONLY | (getattr(os, "O_NONBLOCK", 0) if fifo else 0))
    except OSError as error:
        if fifo and error.errno == 6:  # ENXIO: nobody has the FIFO open for reading
            raise OutputError(f"{path}: is a FIFO that nobody is reading from; start the "
                              "reader first") from error
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from error
    try:
        if fifo and hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        view = memoryview(data)
        _written.append(path)
        while view:
            view = view[os.write(handle, view):]
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from error
    finally:
        os.close(handle)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISBLK(mode):
        return "is a block device (a disk), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def refuse_inputs(output: Path | str, inputs: Iterable[Path | str], role: str = "an input"
                  ) -> None:
    """Raise OutputError when ``output`` is the same file as one of ``inputs``: writing it
    would destroy what is being read (checked before anything is written). Files that do not
    exist yet are compared by the path writing them would take (symlinks followed)."""
    output = Path(output)
    for source in inputs:
        if _same_file(output, Path(source)):
            raise OutputError(f"{output}: the output is also {role} ({source}); writing it "
                              "would destroy it, so choose another file name; nothing written")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except (OSError, ValueError):
        pass
    try:
        return final_target(one) == final_target(other)
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def locked(path: Path | str) -> Iterator[None]:
    """Hold an exclusive lock for a read-modify-write of ``path`` (other interview-deck
    processes wait). The lock is ``.<name>.lock`` beside the file symlinks lead to, removed
    when released.

    Without ``fcntl`` (Windows) this does not lock: concurrent writers may lose an update.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    target = final_target(path)
    lock = target.parent / _lock_name(target.name)
    if lock in _held:  # this process holds it already (a save inside a locked build)
        yield
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise OutputError(f"{path}: cannot write: {target.parent} is a file, not a folder"
                          ) from error
    except OSError as error:
        raise OutputError(f"{target.parent}: cannot create folder: {error.strerror}") from error
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            raise OutputError(f"{lock}: cannot create the lock file: "
                              f"{error.strerror or error}") from error
        try:
            if _try_lock(fcntl, handle, lock) and _still_there(handle, lock):
                break
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)
        if time.monotonic() > deadline:
            raise InterviewDeckError(
                f"{path}: another interview-deck process has been using it for "
                f"{LOCK_TIMEOUT:.0f} seconds; try again when it has finished")
        time.sleep(0.01)
    _held.add(lock)
    try:
        yield
    finally:
        _held.discard(lock)
        # Removed while still locked: a waiter then finds its lock file gone and tries again.
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(handle)


def _lock_name(name: str) -> str:
    """``.<name>.lock``; for a name too long to take that, a fixed-length name from its hash."""
    if len(os.fsencode(name)) <= 200:
        return f".{name}.lock"
    import hashlib

    return f".interview-deck.{hashlib.sha256(os.fsencode(name)).hexdigest()[:32]}.lock"


def _try_lock(fcntl: Any, handle: int, lock: Path) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno in (37, 38, 95):  # ENOLCK, ENOSYS, EOPNOTSUPP: go on unlocked
            return True
        raise OutputError(f"{lock}: cannot lock: {error.strerror}") from error
    return True


def _still_there(handle: int, lock: Path) -> bool:
    """Whether the locked file is still the one at ``lock`` (its holder may have removed it)."""
    try:
        return os.stat(lock).st_ino == os.fstat(handle).st_ino
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP until the block is done, so that a short commit
    (a rename, a ledger then its package) happens entirely or not at all."""
    if (not hasattr(signal, "pthread_sigmask")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class HeldInterrupts:
    """Ctrl-C, SIGTERM and SIGHUP held back from now on: for the end of a run whose change is
    committed, which must then finish and report it, whatever arrives."""

    def __init__(self) -> None:
        self._previous: set[int] | None = None
        if (hasattr(signal, "pthread_sigmask")
                and threading.current_thread() is threading.main_thread()):
            self._previous = set(signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS))

    def arrived(self) -> bool:
        """True when an interrupt arrived since they were held (it waits, held)."""
        return self._previous is not None and bool(set(signal.sigpending()) & set(_INTERRUPTS))

    def release(self) -> bool:
        """Let interrupts through again; True when one arrived meanwhile (it is dropped: the
        work it would have stopped is done)."""
        if self._previous is None:
            return False
        arrived = set(signal.sigpending()) & set(_INTERRUPTS)
        for number in arrived:
            signal.sigtimedwait([number], 0)
        signal.pthread_sigmask(signal.SIG_SETMASK, self._previous)
        self._previous = None
        return bool(arrived)


def write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output; OutputError when it cannot take it (a full disk, or
    closed: ``>&-``)."""
    if sys.stdout is None:
        raise OutputError("standard output is closed; name a file with -o to write to")
    try:
        sys.stdout.flush()
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
    except OSError as error:
        raise OutputError(f"standard output: cannot write: {error.strerror or error}") from error
