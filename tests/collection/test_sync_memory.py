"""Sync knows what it put there: an edit made in Anki, the person's tags, their own notes, their
descriptions and their backups are never lost. Each case is a real collection of the official
`anki` package; each data-loss case compares the whole collection before and after."""

from __future__ import annotations

import os
import signal
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import Anki

from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.writer import NOTETYPE_ID
from interview_deck.cli import main

MINE = "Interview Questions::My Questions"
OURS = """\
description: Questions of my own.
questions:
  - id: team-size
    question: How many people are on the team I would join?
    purpose: who you would work with every day
    tags: [team]
  - id: normal-week
    question: What does a normal week look like for this team?
    purpose: how meetings and focus time are balanced
    tags: [culture]
"""
OVERRIDE = """\
overrides:
  - id: define-success
    purpose: my own reason for asking about success
"""


def sync(runner: CliRunner, path: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["sync", "--collection", str(path), *args],
                           catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def whole(path: Path) -> dict[str, Any]:
    """Everything a person keeps in a collection, read with plain SQL (sync's own memory in the
    config aside)."""
    connection = sqlite3.connect(path)
    try:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return connection.execute(sql).fetchall()

        return {
            "col": rows("SELECT ver, scm FROM col"),
            "notes": rows("SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id"),
            "cards": rows("SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, "
                          "lapses, odid FROM cards ORDER BY id"),
            "revlog": rows("SELECT * FROM revlog ORDER BY id"),
            "decks": rows("SELECT id, name, common, kind FROM decks ORDER BY id"),
        }
    finally:
        connection.close()


def note_of(path: Path, question_id: str) -> tuple[dict[str, str], list[str]]:
    """A note's fields by name and its tags."""
    anki = Anki(path)
    try:
        note = anki.note_by_guid(note_guid(question_id))
        return dict(note.items()), list(note.tags)
    finally:
        anki.close()


def edit(path: Path, question_id: str, *, tags: tuple[str, ...] = (), **fields: str) -> None:
    """Edit a note in Anki, as the person would in the browser."""
    anki = Anki(path)
    try:
        note = anki.note_by_guid(note_guid(question_id))
        for name, value in fields.items():
            note[name] = value
        note.tags = [*note.tags, *tags]
        anki.col.update_note(note)
    finally:
        anki.close()


@pytest.fixture
def personal(isolated_home: Path) -> Path:
    folder = isolated_home / ".config" / "interview-deck"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(OURS, encoding="utf-8")
    return folder


@pytest.fixture
def synced(tmp_path: Path, personal: Path, runner: CliRunner) -> Path:
    """A profile's collection after one sync."""
    profile = tmp_path / "Anki2" / "User 1"
    profile.mkdir(parents=True)
    path = profile / "collection.anki2"
    Anki(path).close()
    code, out, err = sync(runner, path)
    assert code == 0, err
    return path


def reword(personal: Path, old: str, new: str) -> None:
    mine = personal / "mine.yaml"
    mine.write_text(mine.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_edit_made_after_the_yaml_was_reworded_is_kept(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    reword(personal, "who you would work with every day", "who you would work with")
    edit(synced, "team-size", Purpose="my own words", tags=("mine",))
    before = whole(synced)
    code, out, err = sync(runner, synced)
    assert (code, err) == (0, "")
    assert ("team-size  How many people are on the team I would ...  [edited in Anki since "
            "sync put it there: Purpose; kept (--overwrite team-size takes the YAML's)]") in out
    assert whole(synced) == before
    assert note_of(synced, "team-size")[0]["Purpose"] == "my own words"


def test_an_edit_survives_a_lost_ledger(synced: Path, isolated_home: Path,
                                        runner: CliRunner) -> None:
    edit(synced, "normal-week", Setup="ask this of the manager")
    (isolated_home / ".local" / "state" / "interview-deck" / "revisions.json").unlink()
    before = whole(synced)
    code, out, err = sync(runner, synced)
    assert (code, err) == (0, "")
    assert "edited in Anki (kept):" in out
    assert "[edited in Anki since sync put it there: Setup" in out
    assert whole(synced) == before


def test_an_edit_survives_a_build_time_ahead_of_the_clock(
        tmp_path: Path, personal: Path, runner: CliRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "collection.anki2"
    Anki(path).close()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) + 30 * 86400))
    assert sync(runner, path)[0] == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    edit(path, "team-size", Purpose="edited today, long before the build's time")
    before = whole(path)
    code, out, err = sync(runner, path)
    assert (code, err) == (0, "")
    assert "edited in Anki (kept):" in out
    assert whole(path) == before


def test_an_update_keeps_the_tags_you_added_and_replaces_only_the_yamls(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    edit(synced, "team-size", tags=("marked", "my-own"))
    reword(personal, "tags: [team]", "tags: [people]")
    reword(personal, "who you would work with every day", "who you would work with")
    code, out, err = sync(runner, synced)
    assert (code, err) == (0, "")
    assert ("team-size  How many people are on the team I would ...  [Purpose, Tags; your own "
            "tags kept]") in out
    fields, tags = note_of(synced, "team-size")
    assert fields["Purpose"] == "who you would work with"
    assert sorted(tags) == ["marked", "my-own", "people"]


def test_prune_never_deletes_a_note_you_added_with_our_note_type(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    anki = Anki(synced)
    notetype = anki.col.models.get(NOTETYPE_ID)  # type: ignore[arg-type]
    note = anki.col.new_note(notetype)  # type: ignore[arg-type]
    note["Question"] = "What did the last person in this role move on to?"
    note["Purpose"] = "where the role leads"
    deck = anki.col.decks.id_for_name(MINE)
    assert deck is not None
    anki.col.add_note(note, deck)
    anki.close()
    before = whole(synced)
    code, out, err = sync(runner, synced, "--prune", "delete")
    assert (code, err) == (0, "")
    assert "not from your sources (never pruned):" in out
    assert "left the sources" not in out.split("\n", 2)[2]
    assert whole(synced) == before


def test_prune_never_deletes_the_notes_of_a_friends_package(
        synced: Path, tmp_path: Path, runner: CliRunner) -> None:
    friend = tmp_path / "friend"
    friend.mkdir()
    (friend / "friend.yaml").write_text(OURS.replace("team-size", "friend-team").replace(
        "normal-week", "friend-week"), encoding="utf-8")
    package = tmp_path / "friend.apkg"
    built = runner.invoke(main, ["build", str(friend), "--no-personal", "--no-bundled",
                                 "--revisions", str(friend / "ledger.json"), "-o",
                                 str(package)], catch_exceptions=False)
    assert built.exit_code == 0, built.stderr
    anki = Anki(synced)
    assert anki.import_package(package).new == 2
    anki.close()
    before = whole(synced)
    code, out, err = sync(runner, synced, "--prune", "delete")
    assert (code, err) == (0, "")
    assert "not from your sources (never pruned):" in out and "friend-team" in out
    assert whole(synced) == before


def test_prune_with_the_personal_folder_variable_missing_loses_nothing(
        tmp_path: Path, isolated_home: Path, runner: CliRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "my-decks"
    folder.mkdir()
    (folder / "mine.yaml").write_text(OURS, encoding="utf-8")
    (folder / "override.yaml").write_text(OVERRIDE, encoding="utf-8")
    path = tmp_path / "collection.anki2"
    Anki(path).close()
    monkeypatch.setenv("INTERVIEW_DECK_PERSONAL_DIR", str(folder))
    assert sync(runner, path)[0] == 0
    assert note_of(path, "define-success")[0]["Purpose"] == "my own reason for asking about success"
    monkeypatch.delenv("INTERVIEW_DECK_PERSONAL_DIR")  # a cron job, another shell
    before = whole(path)
    for _ in range(2):
        code, out, err = sync(runner, path, "--prune", "delete")
        assert (code, err) == (0, "")
        assert f"{folder / 'mine.yaml'} still exists but was not read this time" in out
        assert f"its override in {folder / 'override.yaml'} was not read this time: kept" in out
        assert whole(path) == before


def test_two_syncs_in_one_second_keep_two_backups_and_replace_none(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    folder = synced.parent / "backups"
    folder.mkdir(exist_ok=True)
    theirs = {}
    now = time.time()
    for second in range(-1, 4):  # backups Anki or another sync made this second and next
        name = time.strftime("backup-%Y-%m-%d-%H.%M.%S.colpkg", time.localtime(now + second))
        (folder / name).write_bytes(b"somebody's backup")
        theirs[name] = b"somebody's backup"
    made = []
    for word in ("first", "second"):
        reword(personal, "every day" if word == "first" else "first change", f"{word} change")
        code, out, err = sync(runner, synced)
        assert code == 0, err
        made.append(Path(next(line for line in out.splitlines()
                              if line.startswith("Backup: "))[len("Backup: "):]))
    assert made[0] != made[1]
    for backup in made:
        assert backup.parent == folder and backup.name not in theirs
        assert zipfile.is_zipfile(backup)  # a .colpkg Anki can restore
    assert {name: (folder / name).read_bytes() for name in theirs} == theirs
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_description_you_wrote_in_anki_is_kept(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    anki = Anki(synced)
    deck = anki.col.decks.by_name(MINE)
    assert deck is not None
    deck["desc"] = "My notes on how I use this deck."
    anki.col.decks.save(deck)
    anki.close()
    (personal / "other.yaml").write_text(
        "deck: Interview Questions::Other\nquestions:\n  - id: one-more\n"
        "    question: Who reviews the code?\n    purpose: how work is checked\n",
        encoding="utf-8")
    code, out, err = sync(runner, synced)
    assert (code, err) == (0, "")
    assert "1 new" in out
    assert "deck descriptions edited in Anki (kept):" in out
    anki = Anki(synced)
    assert anki.col.decks.by_name(MINE)["desc"] == "My notes on how I use this deck."
    anki.close()
    # A change to the YAML's description still arrives where you did not write your own...
    other = personal / "other.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace(
        "questions:", "description: Odd ones.\nquestions:"), encoding="utf-8")
    code, out, err = sync(runner, synced)
    assert "deck descriptions updated:" in out and "Interview Questions::Other" in out
    # ...and on yours only when you ask for it.
    code, out, err = sync(runner, synced, "--overwrite", MINE)
    assert code == 0, err
    anki = Anki(synced)
    assert anki.col.decks.by_name(MINE)["desc"] == "Questions of my own."
    anki.close()


def test_a_restored_question_gets_back_only_the_cards_sync_suspended(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    anki = Anki(synced)
    cards = sorted(anki.note_by_guid(note_guid("normal-week")).card_ids())
    other = anki.note_by_guid(note_guid("team-size")).card_ids()[0]
    anki.col.sched.suspend_cards([cards[0], other])  # the person's own choice
    anki.close()
    saved = (personal / "mine.yaml").read_text(encoding="utf-8")
    (personal / "mine.yaml").write_text(saved.split("  - id: normal-week")[0], encoding="utf-8")
    code, out, err = sync(runner, synced, "--prune", "suspend")
    assert code == 0, err
    (personal / "mine.yaml").write_text(saved, encoding="utf-8")
    code, out, err = sync(runner, synced)
    assert code == 0, err
    assert "restored:" in out and "unsuspended" in out
    anki = Anki(synced)
    try:
        queues = {cid: anki.col.get_card(cid).queue for cid in [*cards, other]}
    finally:
        anki.close()
    assert queues[cards[0]] == -1 and queues[other] == -1
    assert all(queues[cid] != -1 for cid in cards[1:])
    assert sync(runner, synced)[1].splitlines()[-1] == "Already in step: nothing to change."


def test_a_file_named_backups_is_named_for_what_it_is(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    reword(personal, "every day", "each day")
    backups = synced.parent / "backups"
    if backups.is_dir():
        for item in backups.iterdir():
            item.unlink()
        backups.rmdir()
    backups.write_text("not a folder", encoding="utf-8")
    before = whole(synced)
    code, out, err = sync(runner, synced)
    assert code == 1
    assert err == (f"error: {backups} is a file, where Anki keeps this profile's backups: "
                   "move it away (Anki cannot make its own backups either); nothing changed\n")
    assert whole(synced) == before


def test_an_interrupt_after_the_commit_reports_the_sync_and_leaves_no_temp_folder(
        synced: Path, personal: Path, runner: CliRunner, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from interview_deck import output

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    real = output.HeldInterrupts.__init__

    def held_then_interrupted(self: output.HeldInterrupts) -> None:
        real(self)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, right before the commit

    monkeypatch.setattr(output.HeldInterrupts, "__init__", held_then_interrupted)
    reword(personal, "every day", "each day")
    code, out, err = sync(runner, synced)
    assert (code, err) == (0, "note: interrupted after the change was committed; it is "
                              "complete\n")
    assert "Synced: 0 added, 1 updated" in out
    assert "interview-deck-sync-" not in out + err
    assert list(scratch.iterdir()) == []
    assert note_of(synced, "team-size")[0]["Purpose"] == "who you would work with each day"


def test_prune_without_the_bundled_decks_prunes_your_own_and_nothing_bundled(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    bundled_before = [row for row in whole(synced)["notes"]
                      if row[1] not in (note_guid("team-size"), note_guid("normal-week"))]
    (personal / "mine.yaml").write_text(OURS.split("  - id: normal-week")[0], encoding="utf-8")
    code, out, err = sync(runner, synced, "--no-bundled", "--prune", "delete")
    assert (code, err) == (0, "")
    assert "the bundled deck" in out and "was not read this time" in out
    after = whole(synced)["notes"]
    assert note_guid("normal-week") not in {row[1] for row in after}
    assert [row for row in after if row[1] != note_guid("team-size")] == bundled_before


def test_the_first_sync_after_an_upgrade_keeps_edits_and_updates_what_it_built(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    """A collection synced by 0.2.0 has no memory: a note counts as unedited only when it holds
    a version the ledger recorded."""
    anki = Anki(synced)
    anki.col.remove_config("interviewDeckSync")
    anki.close()
    edit(synced, "normal-week", Purpose="mine now")
    reword(personal, "who you would work with every day", "who you would work with")
    code, out, err = sync(runner, synced)
    assert (code, err) == (0, "")
    assert "team-size  How many people are on the team I would ...  [Purpose]" in out
    assert ("normal-week  What does a normal week look like for this ...  [differs from the "
            "YAML, and sync has no record of putting it there: Purpose; kept") in out
    assert note_of(synced, "normal-week")[0]["Purpose"] == "mine now"
    assert note_of(synced, "team-size")[0]["Purpose"] == "who you would work with"


def test_a_renamed_deck_file_is_remembered_before_a_prune_that_does_not_read_it(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    (personal / "mine.yaml").rename(personal / "questions.yaml")
    code, out, err = sync(runner, synced)
    assert code == 0, err
    before = whole(synced)
    code, out, err = sync(runner, synced, "--no-personal", "--prune", "delete")
    assert (code, err) == (0, "")
    assert f"{personal / 'questions.yaml'} still exists but was not read this time" in out
    assert whole(synced) == before


def test_a_deck_file_gone_while_a_source_is_left_out_is_never_pruned(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    (personal / "mine.yaml").rename(personal / "questions.yaml")  # no sync in between
    before = whole(synced)
    code, out, err = sync(runner, synced, "--no-personal", "--prune", "delete")
    assert (code, err) == (0, "")
    assert f"{personal / 'mine.yaml'} is gone, and this sync leaves out your personal" in out
    assert whole(synced) == before


def test_overwrite_names_one_question_even_one_called_all(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    (personal / "all.yaml").write_text(
        "questions:\n  - id: all\n    question: Is everything on the table?\n"
        "    purpose: what is negotiable\n", encoding="utf-8")
    assert sync(runner, synced)[0] == 0
    edit(synced, "all", Purpose="mine")
    edit(synced, "team-size", Purpose="mine too")
    code, out, err = sync(runner, synced, "--overwrite", "all", "--overwrite", "no-such-id")
    assert code == 0
    assert err == ("warning: --overwrite no-such-id: no question or deck of this sync has "
                   "that name\n")
    assert note_of(synced, "all")[0]["Purpose"] == "what is negotiable"
    assert note_of(synced, "team-size")[0]["Purpose"] == "mine too"
    assert sync(runner, synced, "--overwrite-all")[0] == 0
    assert note_of(synced, "team-size")[0]["Purpose"] == "who you would work with every day"


def test_a_tag_you_had_before_the_yaml_took_it_up_stays_when_the_yaml_drops_it(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    edit(synced, "team-size", tags=("culture",))
    reword(personal, "tags: [team]", "tags: [team, culture]")
    assert sync(runner, synced)[0] == 0
    reword(personal, "tags: [team, culture]", "tags: [team]")
    code, out, err = sync(runner, synced)
    assert code == 0, err
    assert sorted(note_of(synced, "team-size")[1]) == ["culture", "team"]


def test_cards_are_unsuspended_once_even_for_a_note_kept_as_edited(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    saved = (personal / "mine.yaml").read_text(encoding="utf-8")
    (personal / "mine.yaml").write_text(saved.split("  - id: normal-week")[0], encoding="utf-8")
    assert sync(runner, synced, "--prune", "suspend")[0] == 0
    edit(synced, "normal-week", Purpose="mine")
    (personal / "mine.yaml").write_text(saved, encoding="utf-8")
    code, out, err = sync(runner, synced)
    assert "restored:" in out
    anki = Anki(synced)
    cards = anki.note_by_guid(note_guid("normal-week")).card_ids()
    anki.col.sched.suspend_cards(cards)  # the person suspends them again
    anki.close()
    before = whole(synced)
    code, out, err = sync(runner, synced)
    assert code == 0 and "restored" not in out
    assert whole(synced) == before


@pytest.mark.parametrize("value", [
    b'{"version": 1, "files": [], "tags": [], "notes": [], "decks": {}}',
    b'{"version": 1, "files": [], "tags": [], "notes": {}, "decks": []}',
    b"[" * 100000 + b"]" * 100000,
    b"not json at all",
    b'{"version": 1, "files": [[7]], "tags": [[]], "notes": {"team-size": ["x", 1, 0, 0]}, '
    b'"decks": {}}',
])
def test_a_damaged_memory_is_said_and_treated_as_empty(
        synced: Path, personal: Path, runner: CliRunner, value: bytes) -> None:
    connection = sqlite3.connect(synced)
    connection.execute("UPDATE config SET val = ? WHERE KEY = 'interviewDeckSync'", (value,))
    connection.commit()
    connection.close()
    edit(synced, "team-size", Purpose="mine")
    code, out, err = sync(runner, synced)
    assert code == 0
    assert err.startswith("warning: sync's memory in this collection could not be read")
    assert "[differs from the YAML, and sync has no record of putting it there: Purpose" in out
    assert note_of(synced, "team-size")[0]["Purpose"] == "mine"
    assert sync(runner, synced)[2] == ""  # a new memory was written


def test_a_killed_syncs_private_folder_is_swept_from_the_backups_later(
        synced: Path, personal: Path, runner: CliRunner) -> None:
    backups = synced.parent / "backups"
    stale, fresh = backups / ".interview-deck-killed", backups / ".interview-deck-running"
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "backup-x.colpkg").write_bytes(b"half")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    reword(personal, "every day", "each day")
    assert sync(runner, synced)[0] == 0
    assert not stale.exists() and fresh.is_dir()
