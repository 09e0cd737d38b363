"""When each note and the note type last changed: the modification times Anki compares on import.

Anki updates an existing note on import only when the incoming note's modification time is newer
than the one in the collection. So a note's time must move forward exactly when its content
changes, and stay put otherwise. A *revision* records, per key, a fingerprint of the content and
the time that content was first built. The rule:

* same fingerprint as recorded: reuse the recorded time (Anki leaves the note alone, and the
  build is byte-identical);
* a new fingerprint: now (or ``SOURCE_DATE_EPOCH``), but always later than any time issued
  before for that key, and the ledger records it.

The package ships the revisions of the bundled deck (``decks/revisions.json``); your own edits
are recorded in your ledger (see ``default_ledger_path``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InterviewDeckError
from ..output import locked, write_atomically
from ..paths import expand_home, home

FORMAT_VERSION = 1
BUNDLED_FILE = "revisions.json"


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded state of a note or note type."""

    fingerprint: str
    """Hash of the content as written to Anki."""

    mtime: int
    """Modification time (seconds since 1970) given to that content."""

    earlier: tuple[str, ...] = ()
    """Fingerprints of the content this key had before, newest first (a few): content Anki
    still holds in one of these versions came from us, unedited."""

    file: str = ""
    """The deck file the question came from (``paths.source_key``); "" when unknown."""


KEEP_EARLIER = 8


def fingerprint(parts: Iterable[str]) -> str:
    """A short, stable hash of ``parts`` (field values, tags, templates)."""
    return hashlib.sha256("\x1f".join(parts).encode() + b"\x1f").hexdigest()[:20]


# Anki stores times as 64-bit integers; anything past the year 3000 is a mistake, not a date.
LATEST_TIME = 32503680000


def now() -> int:
    """The time for new revisions: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), or now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        # isdigit alone takes '²' and other digits int() refuses; a huge number would pass
        # int()'s digit limit: both are plain mistakes, said so.
        if (not epoch.isascii() or not epoch.isdigit() or len(epoch) > len(str(LATEST_TIME))
                or int(epoch) > LATEST_TIME):
            raise InterviewDeckError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a time in seconds since 1970; unset it "
                "or set it to a date such as the last commit's (git log -1 --format=%ct)")
        return int(epoch)
    return int(time.time())


class Revisions:
    """A ledger of revisions over read-only base revisions (those shipped with the package)."""

    def __init__(self, entries: Mapping[str, Revision] | None = None,
                 base: Mapping[str, Revision] | None = None) -> None:
        self._entries: dict[str, Revision] = dict(entries or {})
        self._base: dict[str, Revision] = dict(base or {})
        self.changed = False
        """True once ``time_for`` recorded something that ``save`` should write."""

    @classmethod
    def load(cls, path: Path | None, base: Mapping[str, Revision] | None = None) -> Revisions:
        """The ledger stored at ``path`` (empty when the file does not exist yet)."""
        return cls(read_file(path) if path is not None else {}, base)

    def time_for(self, key: str, print_: str, at: int | None = None, file: str = "") -> int:
        """The modification time for content with fingerprint ``print_`` under ``key``;
        ``file`` is the deck file it comes from (recorded with a new revision, and on a
        recorded one whose file is not known yet or moved)."""
        own = self._entries.get(key)
        if own is not None and own.fingerprint == print_:
            if file and own.file != file:
                self._entries[key] = replace(own, file=file)
                self.changed = True
            return own.mtime
        shipped = self._base.get(key)
        if shipped is not None and shipped.fingerprint == print_:
            if own is None or shipped.mtime > own.mtime:
                return shipped.mtime
        latest = max((r.mtime for r in (own, shipped) if r is not None), default=0)
        issued = max(now() if at is None else at, latest + 1)
        if issued > LATEST_TIME:
            raise InterviewDeckError(
                f"'{key}' changed, but its last recorded time is already the latest one "
                "Anki can take (the year 3000); set SOURCE_DATE_EPOCH to a real date")
        before = [p for r in (own, shipped) if r is not None for p in (r.fingerprint, *r.earlier)]
        earlier = tuple(p for p in dict.fromkeys(before) if p != print_)[:KEEP_EARLIER]
        self._entries[key] = Revision(print_, issued, earlier, file or (own.file if own else ""))
        self.changed = True
        return issued

    def known(self, key: str) -> Revision | None:
        """What this ledger and its base know of ``key``: the newer revision, with every
        earlier fingerprint of both and the file either recorded (None when neither has it)."""
        own, shipped = self._entries.get(key), self._base.get(key)
        if own is None or shipped is None:
            return own or shipped
        newer, older = (own, shipped) if own.mtime >= shipped.mtime else (shipped, own)
        prints = [older.fingerprint, *newer.earlier, *older.earlier]
        return replace(newer, earlier=tuple(dict.fromkeys(p for p in prints
                                                          if p != newer.fingerprint)),
                       file=newer.file or older.file)

    def entries(self) -> dict[str, Revision]:
        """A copy of this ledger's own entries (not the base)."""
        return dict(self._entries)

    def base(self) -> dict[str, Revision]:
        """A copy of the read-only base revisions."""
        return dict(self._base)

    def save(self, path: Path) -> None:
        """Record this ledger in ``path``, merged with what is there now: another process may
        have recorded revisions since this one was read. Per key the later time wins (times
        only move forward). Atomic, one entry per line, sorted (diff-friendly)."""
        with locked(path):
            self.merge(read_file(path))
            write_atomically(path, dump(self._entries).encode())
        self.changed = False

    def merge(self, entries: Mapping[str, Revision]) -> None:
        """Take in ``entries`` recorded elsewhere: per key, the later time wins."""
        for key, theirs in entries.items():
            own = self._entries.get(key)
            if own is None or (theirs.mtime, theirs.fingerprint) > (own.mtime, own.fingerprint):
                self._entries[key] = theirs


def dump(entries: Mapping[str, Revision]) -> str:
    """The JSON text for ``entries``."""
    lines = [f"    {json.dumps(key)}: {json.dumps(_as_json(r), ensure_ascii=False)}"
             for key, r in sorted(entries.items())]
    body = ",\n".join(lines)
    return f'{{\n  "version": {FORMAT_VERSION},\n  "revisions": {{\n{body}\n  }}\n}}\n'


def _as_json(revision: Revision) -> dict[str, object]:
    data: dict[str, object] = {"fingerprint": revision.fingerprint, "mtime": revision.mtime}
    if revision.earlier:
        data["earlier"] = list(revision.earlier)
    if revision.file:
        data["file"] = revision.file
    return data


def read_file(path: Path) -> dict[str, Revision]:
    """Entries from a ledger file; an absent file is an empty ledger, a damaged one an error."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InterviewDeckError(f"{path}: cannot read revisions: {error.strerror}") from error
    if stat.S_ISDIR(info.st_mode):
        raise InterviewDeckError(f"{path}: revisions file is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise InterviewDeckError(f"{path}: revisions file is not a regular file; give "
                                 "--revisions a file name")
    try:
        raw = path.read_text(encoding="utf-8-sig")  # a BOM from a Windows editor is fine
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InterviewDeckError(f"{path}: cannot read revisions: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise InterviewDeckError(f"{path}: revisions file is damaged (not UTF-8); move it "
                                 "away to start a new one") from error
    if not raw.strip():
        return {}  # an empty file (made with `touch`) holds nothing to lose
    try:
        return _entries(json.loads(raw, parse_constant=_no_constant, parse_float=_no_float))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        reason: object = error
        if isinstance(error, RecursionError):
            reason = "nested too deeply"
        elif isinstance(error, KeyError):
            reason = f"missing key {error.args[0]!r}"
        raise InterviewDeckError(
            f"{path}: revisions file is damaged ({reason}); move it away to start a new one "
            "(your next import may then update every note once)"
        ) from error
    except _NewerError as error:
        raise InterviewDeckError(
            f"{path}: revisions file is from a newer interview-deck (format {error}; this one "
            f"knows {FORMAT_VERSION}); upgrade interview-deck, or use --revisions for another "
            "file"
        ) from None


class _NewerError(Exception):
    """A ledger format this version does not know."""


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a time")


def _no_float(text: str) -> object:
    raise ValueError(f"{text} is not a whole number of seconds")


def _entries(data: object) -> dict[str, Revision]:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise ValueError(f"'version' is {version!r}, not a format number")
    if version > FORMAT_VERSION:
        raise _NewerError(version)
    revisions = data["revisions"]
    if not isinstance(revisions, dict):
        raise ValueError("'revisions' is not a JSON object")
    entries: dict[str, Revision] = {}
    for key, value in revisions.items():
        if not isinstance(value, dict):
            raise ValueError(f"'{key}' is not a JSON object")
        print_, mtime = value["fingerprint"], value["mtime"]
        if not isinstance(print_, str) or type(mtime) is not int:
            raise ValueError(f"'{key}' needs a text fingerprint and a whole-number mtime")
        if not 0 <= mtime <= LATEST_TIME:
            raise ValueError(f"'{key}' has the impossible time {mtime}")
        earlier, file = value.get("earlier", []), value.get("file", "")
        if (not isinstance(earlier, list) or not all(isinstance(p, str) for p in earlier)
                or not isinstance(file, str)):
            raise ValueError(f"'{key}' needs a list of text fingerprints in 'earlier' and a "
                             "text 'file'")
        entries[key] = Revision(print_, mtime, tuple(earlier), file)
    return entries


def default_ledger_path() -> Path:
    """Where builds record revisions of your own questions: ``$INTERVIEW_DECK_REVISIONS``, else
    ``$XDG_STATE_HOME/interview-deck/revisions.json`` (``~/.local/state/...`` by default)."""
    explicit = os.environ.get("INTERVIEW_DECK_REVISIONS")
    if explicit:
        return expand_home(explicit, "INTERVIEW_DECK_REVISIONS")
    state = os.environ.get("XDG_STATE_HOME") or str(home() / ".local" / "state")
    return Path(state) / "interview-deck" / "revisions.json"
