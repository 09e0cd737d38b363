"""The modification-time rule that makes Anki apply edits and skip unchanged notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_deck import InterviewDeckError
from interview_deck.apkg.revisions import Revision, Revisions, default_ledger_path, dump, read_file
from interview_deck.apkg.writer import package_bytes, shipped_revisions
from interview_deck.selection import bundled_decks


def test_the_shipped_revisions_match_the_bundled_deck() -> None:
    """Fails when a bundled question or template changed without new revisions.

    Fix: run `interview-deck build --no-personal --revisions decks/revisions.json`, commit.
    """
    ledger = shipped_revisions()
    package_bytes(bundled_decks(), revisions=ledger)
    fix = "run: interview-deck build --no-personal --revisions decks/revisions.json"
    assert not ledger.changed, fix
    expected = {"notetype"} | {f"note/{q.id}" for deck in bundled_decks() for q in deck.questions}
    assert expected <= set(ledger.base()), "the shipped ledger misses ids; " + fix
    # Ids a release removed stay: sync --prune knows them as ours.
    assert all(key.startswith("note/") for key in set(ledger.base()) - expected)


def test_same_content_keeps_its_time() -> None:
    ledger = Revisions()
    first = ledger.time_for("note/a", "print-1", at=1000)
    assert ledger.time_for("note/a", "print-1", at=5000) == first == 1000


def test_new_content_gets_a_later_time_even_when_the_clock_is_behind() -> None:
    ledger = Revisions({"note/a": Revision("print-1", 2000)})
    assert ledger.time_for("note/a", "print-2", at=1500) == 2001
    assert ledger.time_for("note/a", "print-3", at=9000) == 9000
    assert ledger.changed


def test_shipped_revisions_are_used_until_you_change_the_content() -> None:
    ledger = Revisions(base={"note/a": Revision("shipped", 3000)})
    assert ledger.time_for("note/a", "shipped", at=9000) == 3000
    assert not ledger.changed
    assert ledger.time_for("note/a", "yours", at=2000) == 3001
    assert ledger.entries() == {"note/a": Revision("yours", 3001, earlier=("shipped",))}


def test_a_new_revision_remembers_earlier_fingerprints_and_the_file() -> None:
    ledger = Revisions(base={"note/a": Revision("v1", 1000)})
    ledger.time_for("note/a", "v2", at=2000, file="/decks/a.yaml")
    ledger.time_for("note/a", "v3", at=3000)
    assert ledger.entries()["note/a"] == Revision("v3", 3000, ("v2", "v1"), "/decks/a.yaml")
    known = ledger.known("note/a")
    assert known is not None and set(known.earlier) == {"v1", "v2"}


def test_the_ledger_keeps_history_and_file_through_a_save(tmp_path: Path) -> None:
    ledger = Revisions()
    ledger.time_for("note/a", "v1", at=1000, file="bundled:x.yaml")
    ledger.time_for("note/a", "v2", at=2000)
    ledger.save(tmp_path / "r.json")
    assert read_file(tmp_path / "r.json") == ledger.entries()
    assert read_file(tmp_path / "r.json")["note/a"] == Revision("v2", 2000, ("v1",),
                                                                "bundled:x.yaml")


def test_going_back_to_shipped_content_after_your_own_is_newer_still() -> None:
    """You overrode a question, then removed the override: Anki must still take the change."""
    ledger = Revisions({"note/a": Revision("yours", 5000)},
                       base={"note/a": Revision("shipped", 3000)})
    assert ledger.time_for("note/a", "shipped", at=4000) == 5001


def test_a_newer_release_wins_over_an_older_own_revision() -> None:
    ledger = Revisions({"note/a": Revision("old-yours", 1000)},
                       base={"note/a": Revision("shipped", 3000)})
    assert ledger.time_for("note/a", "shipped", at=9000) == 3000


def test_source_date_epoch_sets_the_time_of_new_revisions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert Revisions().time_for("note/a", "x") == 1700000000


def test_the_ledger_file_round_trips(tmp_path: Path) -> None:
    ledger = Revisions()
    ledger.time_for("note/b", "two", at=20)
    ledger.time_for("note/a", "one", at=10)
    path = tmp_path / "nested" / "revisions.json"
    ledger.save(path)
    assert read_file(path) == ledger.entries()
    assert path.read_text() == dump(ledger.entries())
    assert path.read_text().index("note/a") < path.read_text().index("note/b")
    assert Revisions.load(tmp_path / "missing.json").entries() == {}


def test_a_damaged_ledger_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "revisions.json"
    path.write_text("{not json")
    with pytest.raises(InterviewDeckError, match="revisions file is damaged"):
        read_file(path)


def test_the_ledger_lives_in_the_state_folder(isolated_home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    expected = isolated_home / ".local" / "state" / "interview-deck" / "revisions.json"
    assert default_ledger_path() == expected
    monkeypatch.delenv("XDG_STATE_HOME")
    assert default_ledger_path() == expected
    monkeypatch.setenv("INTERVIEW_DECK_REVISIONS", str(isolated_home / "mine.json"))
    assert default_ledger_path() == isolated_home / "mine.json"


@pytest.mark.parametrize("value", ["tomorrow", "99999999999999999999", "-5"])
def test_a_nonsense_source_date_epoch_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                 value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(InterviewDeckError, match="SOURCE_DATE_EPOCH"):
        Revisions().time_for("note/a", "x")


@pytest.mark.parametrize("content, reason", [
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"version": 1, "revisions": {"note/a": {"fingerprint": "f", "mtime": 99999999999999}}}',
     "impossible time"),
    (b'{"version": 1, "revisions": []}', "damaged"),
])
def test_a_damaged_ledger_never_gives_a_traceback(tmp_path: Path, content: bytes,
                                                   reason: str) -> None:
    path = tmp_path / "revisions.json"
    path.write_bytes(content)
    with pytest.raises(InterviewDeckError, match=reason):
        read_file(path)
