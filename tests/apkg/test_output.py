"""The package file: reproducible, compressed, written atomically."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from interview_deck import Deck, DeckError, OutputError, Question, write_package
from interview_deck.apkg.build import build


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build([], tmp_path / "a.apkg", ledger=tmp_path / "ledger.json").result.path
    second = build([], tmp_path / "b.apkg", ledger=tmp_path / "ledger.json").result.path
    assert first.read_bytes() == second.read_bytes()


def test_builds_of_the_bundled_deck_agree_across_machines(tmp_path: Path) -> None:
    """Each build records into its own, empty ledger, as on two fresh machines."""
    first = build([], tmp_path / "a.apkg", ledger=tmp_path / "one.json").result.path
    second = build([], tmp_path / "b.apkg", ledger=tmp_path / "two.json").result.path
    assert first.read_bytes() == second.read_bytes()
    assert not (tmp_path / "one.json").exists(), "the bundled deck needs no new revisions"


def test_the_archive_is_compressed_and_has_fixed_entry_times(tmp_path: Path) -> None:
    path = build([], tmp_path / "deck.apkg", ledger=tmp_path / "l.json").result.path
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["collection.anki2", "media"]
        database = infos[0]
        assert database.compress_type == zipfile.ZIP_DEFLATED
        assert database.compress_size * 4 < database.file_size
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("media") == b"{}"


def test_a_deck_with_problems_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"previous build")
    bad = Deck("Mine", questions=[Question(id="Bad Id", question="q?", purpose=" ")])
    with pytest.raises(DeckError) as caught:
        write_package([bad], target)
    messages = [p.message for p in caught.value.problems]
    assert any("'purpose' is empty" in m for m in messages)
    assert any("id 'Bad Id' is not a valid id" in m for m in messages)
    assert target.read_bytes() == b"previous build"


def test_a_failed_write_leaves_the_old_file_and_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"previous build")

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OutputError, match="No space left on device"):
        build([], target, ledger=tmp_path / "l.json")
    assert target.read_bytes() == b"previous build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.apkg"]


def test_an_output_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError):
        build([], blocker / "deck.apkg", ledger=tmp_path / "l.json")
