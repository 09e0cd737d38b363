"""`interview-deck sync`: a plan, then Anki's own import, prune and move, on real collections
made by the official `anki` package (and by older releases of it, in tests/data/collections)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Anki, counts

from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.writer import NOTETYPE_ID
from interview_deck.cli import main
from interview_deck.collection.locate import SCHEMA_VERSION, default_base, find_collection, profiles
from interview_deck.errors import CollectionError
from interview_deck.selection import bundled_decks

DATA = Path(__file__).parents[1] / "data" / "collections"
TO_ASK = "Interview Questions::1. Questions to Ask"
MINE = "Interview Questions::My Questions"
BUNDLED = counts(bundled_decks())[1]
"""The number of bundled questions."""
ELSEWHERE = "Interview Questions::Elsewhere"
QUESTIONS = 3000  # enough for the import to take a moment, for the kill test

V1 = """\
questions:
  - id: keep-me
    question: How many people are on the team I would join?
    purpose: who you would work with every day
    tags: [team]
  - id: delete-me
    question: What does a normal week look like for this team?
    purpose: how meetings and focus time are balanced
    tags: [culture]
  - id: move-me
    question: How are new people brought up to speed here?
    purpose: whether onboarding is planned or improvised
    tags: [growth]
"""

# Version two: keep-me reworded, delete-me deleted, move-me moved to another deck (file),
# a new question, and the bundled salary-opener hidden.
V2_MINE = """\
hide: [salary-opener]
questions:
  - id: keep-me
    question: How many people are on the team I would join, and who leads it?
    purpose: who you would work with every day
    tags: [team]
  - id: new-one
    question: What would you change about how this team ships?
    purpose: what frustrates the people you would work with
    tags: [culture]
"""

V2_ELSEWHERE = """\
deck: Interview Questions::Elsewhere
questions:
  - id: move-me
    question: How are new people brought up to speed here?
    purpose: whether onboarding is planned or improvised
    tags: [growth]
"""


def digest(path: Path) -> dict[str, str]:
    """The collection file and whatever sits beside it with its name (-wal, -shm, -journal)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.parent.glob(path.name + "*"))}


def col_row(path: Path) -> tuple[int, int]:
    connection = sqlite3.connect(path)
    try:
        ver, scm = connection.execute("SELECT ver, scm FROM col").fetchone()
        return int(ver), int(scm)
    finally:
        connection.close()


def deck_names(path: Path) -> list[str]:
    anki = Anki(path)
    try:
        return [deck.name for deck in anki.col.decks.all_names_and_ids()]
    finally:
        anki.close()


def note_guids(path: Path) -> set[str]:
    anki = Anki(path)
    try:
        return set(anki.col.db.list("SELECT guid FROM notes"))
    finally:
        anki.close()


def scheduling(anki: Anki) -> dict[int, tuple[int, ...]]:
    return {cid: tuple(rest) for cid, *rest in anki.col.db.all(
        "SELECT id, due, ivl, reps, lapses, type, factor, left, odue FROM cards")}


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["sync", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def personal(isolated_home: Path) -> Path:
    folder = isolated_home / ".config" / "interview-deck"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(V1, encoding="utf-8")
    return folder


@pytest.fixture
def studied(tmp_path: Path, personal: Path, runner: CliRunner) -> Iterator[Path]:
    """A profile's collection after syncing version one and studying: reviews on our notes, and
    a Basic note of the user's own in our deck, with our tags and our words."""
    profile = tmp_path / "Anki2" / "User 1"
    profile.mkdir(parents=True)
    path = profile / "collection.anki2"
    Anki(path).close()
    ver_scm = col_row(path)
    code, out, err = run(runner, "--collection", str(path))
    assert code == 0, err
    assert "note type: new" in out
    assert col_row(path) == ver_scm  # adding our note type is no schema change
    anki = Anki(path)
    for question in ("keep-me", "delete-me", "move-me", "salary-opener", "define-success"):
        for card in anki.note_by_guid(note_guid(question)).cards():
            anki.review(card.id)
    basic = anki.col.models.by_name("Basic")
    note = anki.col.new_note(basic)  # type: ignore[arg-type]
    note["Front"] = "salary-opener"
    note["Back"] = "Interview Question (interview-deck) delete-me"
    note.tags = ["culture", "team"]
    deck = anki.col.decks.id_for_name(MINE)
    assert deck is not None
    anki.col.add_note(note, deck)
    anki.close()
    (personal / "mine.yaml").write_text(V2_MINE, encoding="utf-8")
    (personal / "elsewhere.yaml").write_text(V2_ELSEWHERE, encoding="utf-8")
    yield path


def test_dry_run_reports_each_change_and_changes_no_byte(studied: Path,
                                                         runner: CliRunner) -> None:
    before = digest(studied)
    code, out, err = run(runner, "--collection", str(studied), "--dry-run")
    assert (code, err) == (0, "")
    assert digest(studied) == before
    lines = out.splitlines()
    assert lines[0] == f"Collection: {studied}"
    assert lines[1] == (f"1 new, 1 updated, {BUNDLED} unchanged, 0 conflicting, "
                        "2 left the sources, 1 in the wrong deck")
    assert lines[2:] == [
        "new:",
        "  new-one  What would you change about how this team ships?",
        "updated:",
        "  keep-me  How many people are on the team I would ...  [Question]",
        "left the sources (listed only; --prune suspend|delete acts on them):",
        "  delete-me      What does a normal week look like for this ...",
        "  salary-opener  Before we talk numbers, I want to find out ...",
        "in the wrong deck (listed only; --move-cards moves them):",
        f"  move-me  How are new people brought up to speed here?  [{MINE} -> {ELSEWHERE}]",
        "Dry run: nothing changed.",
    ]
    code, out, err = run(runner, "--collection", str(studied), "--dry-run", "--json")
    data = json.loads(out)
    assert digest(studied) == before
    assert data["counts"] == {"new": 1, "updated": 1, "unchanged": BUNDLED, "conflicting": 0,
                              "edited_in_anki": 0, "restored": 0, "left_sources": 2,
                              "not_read": 0, "not_from_sources": 0, "wrong_deck": 1,
                              "unbuilt_decks": 0, "descriptions_updated": 0,
                              "descriptions_kept": 0}
    assert data["applied"] is False and data["backup"] is None
    assert [e["id"] for e in data["left_sources"]] == ["delete-me", "salary-opener"]


def test_sync_applies_exactly_the_plan_and_keeps_every_review(studied: Path,
                                                              runner: CliRunner) -> None:
    anki = Anki(studied)
    before = scheduling(anki)
    revlog = anki.col.db.all("SELECT * FROM revlog ORDER BY id")
    foreign = anki.col.db.all("SELECT * FROM notes WHERE mid != ?",
                              anki.col.db.scalar("SELECT mid FROM notes WHERE guid = ?",
                                                 note_guid("keep-me")))
    foreign_cards = anki.col.db.all("SELECT * FROM cards WHERE nid = ?", foreign[0][0])
    notes_before = anki.note_count()
    anki.close()
    ver_scm = col_row(studied)
    assert ver_scm[0] == SCHEMA_VERSION

    code, out, err = run(runner, "--collection", str(studied), "--prune", "suspend",
                         "--move-cards")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1].startswith(f"1 new, 1 updated, {BUNDLED} unchanged, 0 conflicting, 2 left")
    assert lines[-2].startswith("Backup: ")
    backup = Path(lines[-2].removeprefix("Backup: "))
    assert backup.parent == studied.parent / "backups" and backup.is_file()
    assert lines[-1].startswith(f"Synced: 1 added, 1 updated, {BUNDLED} unchanged, 0 conflicting, "
                                "2 notes suspended, 2 cards moved.")
    assert col_row(studied) == ver_scm

    anki = Anki(studied)
    try:
        after = scheduling(anki)
        assert anki.col.db.all("SELECT * FROM revlog ORDER BY id") == revlog
        assert set(before) <= set(after)
        assert {cid: after[cid] for cid in before} == before
        suspended = set(anki.col.db.list("SELECT nid FROM cards WHERE queue = -1"))
        assert suspended == {anki.note_by_guid(note_guid(q)).id
                             for q in ("delete-me", "salary-opener")}
        assert anki.col.db.all("SELECT * FROM notes WHERE id = ?", foreign[0][0]) == foreign
        assert anki.col.db.all("SELECT * FROM cards WHERE nid = ?", foreign[0][0]) == (
            foreign_cards)
        assert anki.note_count() == notes_before + 1
        moved = anki.note_by_guid(note_guid("move-me"))
        assert {anki.col.decks.name(card.did) for card in moved.cards()} == {ELSEWHERE}
        assert "who leads it" in anki.note_by_guid(note_guid("keep-me"))["Question"]
        assert anki.note_by_guid(note_guid("new-one")).cards()[0].did == (
            anki.col.decks.id_for_name(MINE))
    finally:
        anki.close()

    # In step now: nothing to do, no backup, no change.
    state = digest(studied)
    backups = {p: p.stat().st_mtime_ns for p in backup.parent.iterdir()}
    code, out, err = run(runner, "--collection", str(studied), "--prune", "suspend",
                         "--move-cards")
    assert code == 0
    assert out.splitlines()[1].startswith(f"0 new, 0 updated, {BUNDLED + 2} unchanged")
    assert out.splitlines()[-1] == "Already in step: nothing to change."
    assert digest(studied) == state
    assert {p: p.stat().st_mtime_ns for p in backup.parent.iterdir()} == backups

    # The backup is the collection as it was: Anki's own restore brings it back.
    restored = studied.parent.parent / "restored" / "collection.anki2"
    restored.parent.mkdir()
    from anki._backend import RustBackend

    RustBackend().import_collection_package(  # what File > Import of a .colpkg runs
        col_path=str(restored), backup_path=str(backup),
        media_folder=str(restored.parent / "collection.media"),
        media_db=str(restored.parent / "collection.media.db2"))
    anki = Anki(restored)
    try:
        assert scheduling(anki) == before
        assert anki.note_count() == notes_before
        assert anki.col.db.scalar("SELECT count() FROM cards WHERE queue = -1") == 0
    finally:
        anki.close()


def test_prune_delete_removes_only_our_notes_that_left(studied: Path,
                                                       runner: CliRunner) -> None:
    anki = Anki(studied)
    revlog = anki.col.db.all("SELECT * FROM revlog ORDER BY id")
    anki.close()
    code, out, err = run(runner, "--collection", str(studied), "--prune", "delete")
    assert code == 0, err
    assert "2 notes deleted" in out
    anki = Anki(studied)
    try:
        assert anki.col.db.all("SELECT * FROM revlog ORDER BY id") == revlog
        guids = set(anki.col.db.list("SELECT guid FROM notes"))
        assert note_guid("delete-me") not in guids and note_guid("salary-opener") not in guids
        assert anki.col.db.scalar("SELECT count() FROM notes n JOIN notetypes t ON "
                                  "t.id = n.mid WHERE t.name = 'Basic'") == 1
        # Without --move-cards the moved question's cards stay where they are.
        moved = anki.note_by_guid(note_guid("move-me"))
        assert {anki.col.decks.name(card.did) for card in moved.cards()} == {MINE}
    finally:
        anki.close()


def test_filters_limit_what_can_be_pruned(studied: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "--collection", str(studied), "--dry-run", "--tag", "team")
    assert code == 0, err
    assert "0 left the sources" in out
    code, out, err = run(runner, "--collection", str(studied), "--dry-run", "--tag",
                         "culture")
    assert "1 left the sources" in out and "delete-me" in out and "salary-opener" not in out
    code, out, err = run(runner, "--collection", str(studied), "--dry-run", "--deck", MINE)
    assert "1 left the sources" in out and "delete-me" in out
    # A note whose tag this sync leaves out is not this sync's to prune.
    code, out, err = run(runner, "--collection", str(studied), "--dry-run", "--skip-tag",
                         "culture")
    assert code == 0, err
    assert "1 left the sources" in out and "delete-me" not in out and "salary-opener" in out


def test_a_note_in_a_deck_this_sync_does_not_build_is_never_a_candidate(
    studied: Path, runner: CliRunner
) -> None:
    anki = Anki(studied)
    note = anki.note_by_guid(note_guid("delete-me"))
    mine = anki.col.decks.id("Someone Else's Decks")
    assert mine is not None
    anki.col.set_deck([card.id for card in note.cards()], mine)
    anki.close()
    code, out, err = run(runner, "--collection", str(studied), "--dry-run")
    assert "1 left the sources" in out and "prune" in out
    assert out.splitlines()[-3:] == [
        "in decks no source builds (never pruned):",
        "  delete-me  What does a normal week look like for this ...  "
        "[Someone Else's Decks: a deck of your own]",
        "Dry run: nothing changed."]
    code, out, err = run(runner, "--collection", str(studied), "--prune", "delete")
    assert code == 0, err
    assert note_guid("delete-me") in note_guids(studied)


def test_a_foreign_note_with_our_guid_is_conflicting_and_left_alone(
    tmp_path: Path, personal: Path, runner: CliRunner
) -> None:
    path = tmp_path / "collection.anki2"
    anki = Anki(path)
    note = anki.col.new_note(anki.col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "mine"
    anki.col.add_note(note, 1)
    anki.col.db.execute("UPDATE notes SET guid = ? WHERE id = ?", note_guid("keep-me"),
                        note.id)
    row = anki.col.db.all("SELECT * FROM notes WHERE id = ?", note.id)
    anki.close()
    code, out, err = run(runner, "--collection", str(path), "--prune", "delete")
    assert code == 0, err
    assert "conflicting:" in out
    assert ("keep-me  How many people are on the team I would ...  [in the collection it "
            "is a note of another note type ('Basic'); Anki leaves it as it is]") in out
    anki = Anki(path)
    try:
        assert anki.col.db.all("SELECT * FROM notes WHERE id = ?", note.id) == row
    finally:
        anki.close()


def holding(path: Path) -> subprocess.Popen[str]:
    """Another process with the collection open, as desktop Anki holds it while it runs."""
    script = ("import sys, time\nfrom anki.collection import Collection\n"
              "col = Collection(sys.argv[1])\nprint('open', flush=True)\ntime.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    return holder


def test_a_collection_open_in_anki_is_refused(studied: Path, runner: CliRunner) -> None:
    # A dry run reads a copy instead (test_snapshot.py).
    backups = sorted((studied.parent / "backups").iterdir())
    holder = holding(studied)
    try:
        before = digest(studied)
        code, out, err = run(runner, "--collection", str(studied), "--prune", "delete")
        assert code == 1
        assert err == (f"error: {studied} is open in Anki (or another sync): close Anki first "
                       "(or switch it to another profile), then run sync again; with Anki "
                       "open, 'interview-deck build --open' imports instead (it adds and "
                       "updates notes; pruning and moving cards need Anki closed), and "
                       "'sync --dry-run' shows the plan\n")
        assert digest(studied) == before
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()  # type: ignore[union-attr]
    assert sorted((studied.parent / "backups").iterdir()) == backups


def test_an_older_schema_is_refused_never_upgraded(tmp_path: Path, personal: Path,
                                                   runner: CliRunner) -> None:
    path = tmp_path / "collection.anki2"
    anki = Anki(path)
    anki.col.close(downgrade=True)  # what Anki's "Downgrade & Quit" leaves: schema 11
    before = digest(path)
    for args in ([], ["--dry-run"]):
        code, out, err = run(runner, "--collection", str(path), *args)
        assert code == 1
        assert err.startswith(f"error: {path}: left unchanged: it is in an older format "
                              "(schema 11), which opening it here would upgrade; open it once "
                              "in a current Anki and close it (that keeps schema 18)")
        assert digest(path) == before


def test_a_newer_schema_is_refused(tmp_path: Path, personal: Path, runner: CliRunner) -> None:
    path = tmp_path / "collection.anki2"
    Anki(path).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE col SET ver = 19")
    connection.commit()
    connection.close()
    code, out, err = run(runner, "--collection", str(path))
    assert code == 1 and "written by a newer Anki (schema 19)" in err


def test_the_installed_anki_writes_the_schema_we_keep(tmp_path: Path) -> None:
    Anki(tmp_path / "c.anki2").close()
    assert col_row(tmp_path / "c.anki2")[0] == SCHEMA_VERSION


@pytest.mark.parametrize("release", ["2.1.66", "24.6.3"])
def test_collections_of_older_anki_releases_sync(release: str, tmp_path: Path,
                                                 personal: Path, runner: CliRunner) -> None:
    """Made by tests/make_old_collections.py: the bundled deck imported and studied, and a
    Basic note, with that release of the anki package."""
    profile = tmp_path / "Anki2" / "Old"
    profile.mkdir(parents=True)
    path = profile / "collection.anki2"
    shutil.copyfile(DATA / f"anki-{release}.anki2", path)
    ver_scm = col_row(path)
    anki = Anki(path)
    before = scheduling(anki)
    revlog = anki.col.db.all("SELECT * FROM revlog")
    anki.close()
    (personal / "mine.yaml").write_text(V2_MINE, encoding="utf-8")
    code, out, err = run(runner, "--base", str(tmp_path / "Anki2"), "--prune", "suspend",
                         "--move-cards")
    assert code == 0, err
    # The fixtures hold the article's deck as it was then (nine questions, one hidden now),
    # under its old name "Questions to Ask": every one has changed since, and every other
    # bundled question is new to them. Their cards move to the renamed deck, reviews kept;
    # the hidden one stays in the old deck, which no source builds now, so it is not pruned.
    article = len(bundled_decks()[[d.name for d in bundled_decks()].index(
        "Interview Questions::1. Questions to Ask")].questions)
    # Synced before sync had a memory, by a release whose versions no ledger knows: each
    # differing note may hold an edit, so it is kept and listed, and its parts named. The top
    # deck Anki made then has no description: it gets the YAML's.
    assert (f"{2 + BUNDLED - article} new, 0 updated, 0 unchanged, {article - 1} edited in "
            f"Anki, 0 conflicting, 0 left the sources, {article - 1} in the wrong deck, 1 in "
            "decks no source builds, 1 deck descriptions updated") in out
    assert "[differs from the YAML, and sync has no record of putting it there: " in out
    code, out, err = run(runner, "--base", str(tmp_path / "Anki2"), "--overwrite-all")
    assert code == 0, err
    assert f"0 new, {article - 1} updated, " in out
    assert col_row(path) == ver_scm
    anki = Anki(path)
    try:
        assert {cid: row for cid, row in scheduling(anki).items() if cid in before} == before
        assert anki.col.db.all("SELECT * FROM revlog") == revlog
        old = anki.col.decks.id_for_name("Interview Questions::Questions to Ask")
        left = set(anki.col.db.list("SELECT DISTINCT n.guid FROM cards c JOIN notes n "
                                    "ON n.id = c.nid WHERE c.did = ?", old))
        # Left behind: the Basic note and the hidden question, no other bundled question.
        assert len(left) == 2
        bundled = {note_guid(q.id) for d in bundled_decks() for q in d.questions}
        assert left & bundled == {note_guid("salary-opener")}
        assert anki.col.db.scalar("SELECT count() FROM cards WHERE queue = -1") == 0
    finally:
        anki.close()


@pytest.mark.slow
def test_a_kill_leaves_the_old_or_the_new_collection(tmp_path: Path, personal: Path) -> None:
    """Killed at points spread over the change (after its backup), sync leaves the collection
    as it was or as the plan says; never damaged."""
    lines = ["deck: Big", "questions:"]
    for i in range(QUESTIONS):
        lines += [f"  - id: q-{i}", f"    question: Question number {i}?",
                  f"    purpose: purpose {i}"]
    (personal / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    original = tmp_path / "original.anki2"
    Anki(original).close()
    everything = QUESTIONS + BUNDLED + 3

    def attempt(name: str, kill_after: float | None) -> tuple[int, int, float]:
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "collection.anki2"
        shutil.copyfile(original, path)
        process = subprocess.Popen(
            [sys.executable, "-m", "interview_deck", "sync", "--collection", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not list(folder.glob("backups/*.colpkg")) and process.poll() is None:
            time.sleep(0.002)
        backed_up = time.monotonic()
        if kill_after is None:
            assert process.wait(timeout=120) == 0
        else:
            time.sleep(kill_after)
            process.send_signal(signal.SIGKILL)
            process.wait()
        took = time.monotonic() - backed_up
        connection = sqlite3.connect(path)
        # Anki's own collation for names, for the indexes that use it.
        connection.create_collation(
            "unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            notes = connection.execute("SELECT count() FROM notes").fetchone()[0]
        finally:
            connection.close()
        return process.returncode, notes, took

    code, notes, rest = attempt("whole", None)
    assert (code, notes) == (0, everything)
    outcomes = [attempt(f"kill-{share}", rest * share)[:2] for share in (0.1, 0.4, 0.7, 0.95)]
    assert all(notes in (0, everything) for _, notes in outcomes), outcomes
    assert (-signal.SIGKILL, 0) in outcomes  # killed inside the change: nothing of it stays


def test_without_the_anki_package_sync_says_how_to_install_it(tmp_path: Path) -> None:
    script = ("import sys\nsys.modules['anki'] = None\nsys.argv = ['interview-deck', 'sync', "
              "'--dry-run']\nfrom interview_deck.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == ("error: sync needs the official anki package: install it where "
                           "interview-deck is installed: pip install anki (from a clone, pip "
                           "install '.[sync]' does the same; with pipx: pipx inject "
                           "interview-deck anki)\n")


def test_other_commands_never_import_anki(tmp_path: Path) -> None:
    script = ("import sys\nfrom click.testing import CliRunner\n"
              "from interview_deck.cli import main\n"
              "for args in (['--help'], ['sync', '--help'], ['list'], ['check']):\n"
              "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'anki'))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


def test_profiles_are_found_as_anki_finds_them(tmp_path: Path, isolated_home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_base() == isolated_home / ".local" / "share" / "Anki2"
    monkeypatch.setenv("ANKI_BASE", str(tmp_path / "base"))
    assert default_base() == tmp_path / "base"
    base = tmp_path / "base"
    for folder in ("User 1", "work", "addons21", "logs"):
        (base / folder).mkdir(parents=True)
    (base / "prefs21.db").write_bytes(b"not a pickle you should ever load")
    with pytest.raises(CollectionError, match="no Anki profile found"):
        find_collection()
    for name in ("User 1", "work"):
        Anki(base / name / "collection.anki2").close()  # the folders exist already
    assert profiles(base) == ["User 1", "work"]
    with pytest.raises(CollectionError) as error:
        find_collection()
    assert str(error.value) == (f"{base} has 2 profiles; choose one with --profile NAME:\n"
                                "  User 1\n  work")
    assert find_collection(profile="work") == base / "work" / "collection.anki2"
    with pytest.raises(CollectionError, match="no profile named 'home'"):
        find_collection(profile="home")
    shutil.rmtree(base / "work")
    assert find_collection() == base / "User 1" / "collection.anki2"


def test_several_profiles_are_listed_by_the_command(tmp_path: Path, runner: CliRunner) -> None:
    for name in ("User 1", "work"):
        (tmp_path / name).mkdir()
        Anki(tmp_path / name / "collection.anki2").close()
    code, out, err = run(runner, "--base", str(tmp_path), "--dry-run")
    assert code == 1
    assert err == (f"error: {tmp_path} has 2 profiles; choose one with --profile NAME:\n"
                   "  User 1\n  work\n")


def test_a_file_that_is_not_a_collection_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    code, out, err = run(runner, "--collection", str(path), "--dry-run")
    assert code == 1 and err.startswith(f"error: {path}: not an Anki collection")
    assert path.read_text() == "hello"



def test_a_collection_with_another_version_of_our_note_type_is_refused(
    studied: Path, runner: CliRunner
) -> None:
    anki = Anki(studied)
    notetype = anki.col.models.by_name("Interview Question (interview-deck)")
    assert notetype is not None
    anki.col.models.add_field(notetype, anki.col.models.new_field("Extra"))
    anki.col.models.update_dict(notetype)
    anki.close()
    before = digest(studied)
    code, out, err = run(runner, "--collection", str(studied), "--prune", "delete")
    assert code == 1
    assert "conflicting" not in out.split("\n", 2)[2]  # one message, not one line a note
    assert err.startswith("error: refused: the note type 'Interview Question (interview-deck)' "
                          "was changed in Anki (its fields: ")
    assert "Tools > Manage Note Types" in err and err.count("\n") == 1
    assert "Backup" not in out
    assert digest(studied) == before


def test_a_note_that_left_is_named_by_its_id_field_else_the_ledger_else_its_guid(
    studied: Path, runner: CliRunner, isolated_home: Path
) -> None:
    def left_line() -> str:
        code, out, err = run(runner, "--collection", str(studied), "--dry-run")
        return next(line for line in out.splitlines() if "What does a normal week" in line)

    assert left_line().split()[0] == "delete-me"
    anki = Anki(studied)
    note = anki.note_by_guid(note_guid("delete-me"))
    note["Id"] = ""  # blanked by hand in Anki
    anki.col.update_note(note)
    anki.close()
    assert left_line().split()[0] == "delete-me"  # the ledger and the memory know the id
    (isolated_home / ".local" / "state" / "interview-deck" / "revisions.json").unlink()
    assert left_line().split()[0] == "delete-me"  # the collection's own memory
    anki = Anki(studied)
    anki.col.remove_config("interviewDeckSync")
    anki.close()
    # Nothing knows it any more: not ours, so never pruned.
    assert left_line().split()[0] == note_guid("delete-me")
    code, out, err = run(runner, "--collection", str(studied), "--dry-run")
    assert "not from your sources (never pruned):" in out


def fail_after_the_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anki fails after sync made every change, inside the transaction (a real Anki error
    raised after the real import, updates, prune and moves)."""
    from anki.errors import InvalidInput

    from interview_deck.collection import apply

    real = apply._Change.run

    def run_then_fail(self: apply._Change) -> None:
        real(self)
        raise InvalidInput("injected after every change", None, None, None)

    monkeypatch.setattr(apply._Change, "run", run_then_fail)


def test_an_anki_error_midway_rolls_everything_back(
    studied: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_after_the_changes(monkeypatch)
    before = scheduling_and_notes(studied)
    code, out, err = run(runner, "--collection", str(studied), "--move-cards", "--prune",
                         "delete")
    assert code == 1
    assert err.startswith(f"error: {studied}: Anki could not apply the sync (")
    assert err.endswith("); the collection is as it was\n")
    assert scheduling_and_notes(studied) == before


def test_a_yaml_deck_under_a_filtered_deck_is_refused_before_any_change(
    studied: Path, runner: CliRunner
) -> None:
    """Anki would put new cards in a made-up deck ("Hx::Review 1796281098")."""
    anki = Anki(studied)
    anki.col.decks.new_filtered("Interview Questions::Elsewhere")
    anki.close()
    before = digest(studied)
    for args in ([], ["--move-cards"]):
        code, out, err = run(runner, "--collection", str(studied), *args)
        assert code == 1
        assert err.startswith(f"error: refused: the deck '{ELSEWHERE}' of your YAML is the "
                              f"filtered deck '{ELSEWHERE}' in the collection")
        assert "Backup" not in out and digest(studied) == before
    fresh = studied.parent.parent / "fresh.anki2"
    anki = Anki(fresh)
    anki.col.decks.new_filtered("Interview Questions")
    anki.close()
    code, out, err = run(runner, "--collection", str(fresh))
    assert code == 1  # the bundled top deck (its description) is that deck itself
    assert "the deck 'Interview Questions' of your YAML is the filtered deck" in err
    code, out, err = run(runner, "--collection", str(fresh), "--no-bundled")
    assert code == 1
    assert "of your YAML is under the filtered deck 'Interview Questions'" in err
    assert not any("Review" in name for name in deck_names(fresh))


def scheduling_and_notes(path: Path) -> tuple[object, ...]:
    anki = Anki(path)
    try:
        return (scheduling(anki), anki.col.db.all("SELECT * FROM notes ORDER BY id"),
                anki.col.db.all("SELECT id, did, queue FROM cards ORDER BY id"))
    finally:
        anki.close()


def test_collection_and_profile_together_are_a_usage_error(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    code, out, err = run(runner, "--collection", str(tmp_path / "c.anki2"), "--profile", "x")
    assert code == 2 and "--collection names the file itself" in err


def test_a_newer_note_type_design_is_applied_without_a_schema_change(
    studied: Path, runner: CliRunner
) -> None:
    connection = sqlite3.connect(studied)
    connection.execute("UPDATE notetypes SET mtime_secs = 1 WHERE id = ?", (NOTETYPE_ID,))
    connection.commit()
    connection.close()
    ver_scm = col_row(studied)
    code, out, err = run(runner, "--collection", str(studied))
    assert code == 0, err
    assert out.splitlines()[2] == "note type: updated"
    assert col_row(studied) == ver_scm
    anki = Anki(studied)
    try:
        notetype = anki.col.models.by_name("Interview Question (interview-deck)")
        assert notetype is not None and notetype["mod"] > 1
    finally:
        anki.close()


def test_the_import_uses_anki_defaults_and_keeps_the_dialogs_choices(
    studied: Path, runner: CliRunner
) -> None:
    anki = Anki(studied)
    anki.col.set_config("mergeNotetypes", True)  # last chosen in File > Import
    presets = {key: anki.col.get_config(key, None) for key in
               ("mergeNotetypes", "withScheduling", "updateNotes", "updateNotetypes")}
    note = anki.note_by_guid(note_guid("define-success"))
    note["Purpose"] = "my own words"  # an edit in Anki: newer than the package's note
    anki.col.update_note(note)
    anki.close()
    ver_scm = col_row(studied)
    code, out, err = run(runner, "--collection", str(studied))
    assert code == 0, err
    anki = Anki(studied)
    try:
        assert anki.note_by_guid(note_guid("define-success"))["Purpose"] == "my own words"
        assert {key: anki.col.get_config(key, None) for key in presets} == presets
    finally:
        anki.close()
    assert col_row(studied) == ver_scm


def test_a_question_without_a_card_is_refused_like_build_refuses_it(
    tmp_path: Path, personal: Path, runner: CliRunner
) -> None:
    (personal / "reframes.yaml").write_text(
        "deck: Reframes\ncards: [reframe]\nquestions:\n"
        "  - id: no-weak-question\n    question: Who decides what ships?\n"
        "    purpose: where the power is\n", encoding="utf-8")
    path = tmp_path / "collection.anki2"
    Anki(path).close()
    before = path.read_bytes()
    code, out, err = run(runner, "--collection", str(path))
    assert code == 1
    assert err.startswith(f"{personal / 'reframes.yaml'}:4:9: question 'no-weak-question' gets "
                          "no card")
    assert path.read_bytes() == before


def test_a_dry_run_reads_a_journal_left_by_a_killed_anki_without_merging_it(
    studied: Path, runner: CliRunner
) -> None:
    """Anki killed after saving a change leaves it in collection.anki2-wal; Anki merges it on
    its next open. A dry run sees the change, and leaves both files byte for byte."""
    script = ("import os, sys\nfrom anki.collection import Collection\n"
              "col = Collection(sys.argv[1])\n"
              "note = col.get_note(col.db.scalar('select id from notes where guid = ?', "
              "sys.argv[2]))\ncol.remove_notes([note.id])\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(studied), note_guid("delete-me")],
                   check=True, timeout=60)
    before = digest(studied)
    assert studied.name + "-wal" in before
    code, out, err = run(runner, "--collection", str(studied), "--dry-run")
    assert (code, err) == (0, "")
    assert "1 left the sources" in out and "delete-me" not in out
    assert digest(studied) == before
    code, out, err = run(runner, "--collection", str(studied), "--prune", "suspend")
    assert (code, err) == (0, "")
    assert not studied.with_name(studied.name + "-wal").exists()
    anki = Anki(studied)
    try:
        assert note_guid("delete-me") not in anki.col.db.list("SELECT guid FROM notes")
    finally:
        anki.close()


NOBODY = 65534


def as_another_user(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run `interview-deck ARGS` as a user without root's powers (the tests run as root in CI
    containers, where every permission check passes), with HOME and XDG folders in ``home``."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_STATE_HOME": str(home / "state"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "LANG": "C.UTF-8",
           **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}}

    drop = (["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
            if os.geteuid() == 0 else [])
    return subprocess.run([*drop, sys.executable, "-m", "interview_deck", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder another user can reach (pytest's own temp folders are root's alone), with a
    home of that user's own."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: no way to drop root's privileges")
    folder = Path(tempfile.mkdtemp(prefix="interview-deck-test-"))
    try:
        folder.chmod(0o755)
        (folder / "home").mkdir()
        if os.geteuid() == 0:
            os.chown(folder / "home", NOBODY, NOBODY)
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def owned_by_another_user(*paths: Path) -> None:
    if os.geteuid() == 0:
        for path in paths:
            os.chown(path, NOBODY, NOBODY)


def listing(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "dir" for p in sorted(folder.rglob("*"))}


def test_an_unwritable_backup_folder_is_refused_before_anything_changes(shared: Path) -> None:
    profile = shared / "d"
    (profile / "backups").mkdir(parents=True)
    path = profile / "collection.anki2"
    Anki(path).close()
    shutil.rmtree(profile / "collection.media")
    owned_by_another_user(profile, path)  # backups/ stays root's: the other user cannot write
    if os.geteuid() != 0:
        (profile / "backups").chmod(0o555)
    before = listing(profile)
    done = as_another_user(["sync", "--collection", str(path)], shared, shared / "home")
    assert done.returncode == 1, done.stderr
    assert done.stderr == (f"error: {profile / 'backups'}: cannot write the backup (permission "
                           "denied); nothing changed\n")
    assert listing(profile) == before  # no collection.media either


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_collection_is_planned_and_refused_clearly(shared: Path,
                                                                what: str) -> None:
    profile = shared / "d"
    profile.mkdir()
    path = profile / "collection.anki2"
    Anki(path).close()
    owned_by_another_user(profile, path, *profile.rglob("*"))
    (path if what == "file" else profile).chmod(0o444 if what == "file" else 0o555)
    before = listing(profile)
    done = as_another_user(["sync", "--collection", str(path), "--dry-run"], shared,
                           shared / "home")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[1].startswith(f"{BUNDLED} new, 0 updated")
    assert listing(profile) == before
    done = as_another_user(["sync", "--collection", str(path)], shared, shared / "home")
    assert done.returncode == 1
    assert done.stderr == (f"error: {path}: read-only: sync needs to write {path} and its "
                           "folder; nothing changed\n")
    assert listing(profile) == before


def test_a_dry_run_leaves_an_empty_journal_in_place(studied: Path, runner: CliRunner) -> None:
    journal = studied.with_name(studied.name + "-wal")
    journal.write_bytes(b"")
    before = digest(studied)
    code, out, err = run(runner, "--collection", str(studied), "--dry-run")
    assert (code, err) == (0, "")
    assert digest(studied) == before and journal.is_file()


def test_a_yaml_change_older_than_an_edit_in_anki_keeps_the_edit_never_in_step(
    studied: Path, runner: CliRunner, personal: Path, tmp_path: Path
) -> None:
    assert run(runner, "--collection", str(studied))[0] == 0
    mine = personal / "mine.yaml"
    mine.write_text(mine.read_text().replace("who you would work with every day",
                                             "who you would work with"), encoding="utf-8")
    anki = Anki(studied)
    note = anki.note_by_guid(note_guid("keep-me"))
    note["Setup"] = "my own note"
    anki.col.update_note(note)
    anki.close()
    before = digest(studied)
    for args in (["--dry-run"], []):
        code, out, err = run(runner, "--collection", str(studied), *args)
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert lines[1].startswith(f"0 new, 0 updated, {BUNDLED + 1} unchanged, 1 edited in "
                                   "Anki, 0 conflicting")
        assert lines[2:4] == ["edited in Anki (kept):", "  keep-me  How many people are on "
                              "the team I would ...  [edited in Anki since sync put it there: "
                              "Purpose, Setup; kept (--overwrite keep-me takes the YAML's)]"]
        assert "Already in step" not in out
    assert lines[-1] == ("Nothing to import or change; listed above: 1 edited in Anki (kept as "
                         "they are), 2 left the sources (--prune acts on them), 1 in the wrong "
                         "deck (--move-cards moves them).")
    assert digest(studied) == before
    # With something to import, the edited note is kept all the same.
    (personal / "more.yaml").write_text(
        "questions:\n  - id: one-more\n    question: Who reviews the code?\n"
        "    purpose: how work is checked\n", encoding="utf-8")
    code, out, err = run(runner, "--collection", str(studied))
    assert (code, err) == (0, "")
    assert "Synced: 1 added, 0 updated" in out and "1 edited in Anki kept" in out
    anki = Anki(studied)
    try:
        kept = anki.note_by_guid(note_guid("keep-me"))
        assert kept["Setup"] == "my own note"
        assert kept["Purpose"] == "who you would work with every day"
    finally:
        anki.close()
    # Asked for, the YAML wins; the person's own tags stay.
    code, out, err = run(runner, "--collection", str(studied), "--overwrite", "keep-me")
    assert (code, err) == (0, "")
    assert "replaces your edit in Anki (--overwrite)" in out
    anki = Anki(studied)
    try:
        taken = anki.note_by_guid(note_guid("keep-me"))
        assert (taken["Setup"], taken["Purpose"]) == ("", "who you would work with")
    finally:
        anki.close()


def test_without_the_ledger_identical_notes_are_unchanged_and_left_alone(
    studied: Path, runner: CliRunner, personal: Path, isolated_home: Path
) -> None:
    assert run(runner, "--collection", str(studied), "--prune", "suspend",
               "--move-cards")[0] == 0
    (isolated_home / ".local" / "state" / "interview-deck" / "revisions.json").unlink()
    connection = sqlite3.connect(studied)  # synced a day ago: the ledger's new times are later
    connection.execute("UPDATE notes SET mod = mod - 86400 WHERE mid = ?", (NOTETYPE_ID,))
    connection.commit()
    connection.close()
    code, out, err = run(runner, "--collection", str(studied), "--prune", "suspend",
                         "--move-cards")
    assert (code, err) == (0, "")
    assert out.splitlines()[1].startswith(f"0 new, 0 updated, {BUNDLED + 2} unchanged, "
                                          "0 conflicting")
    assert out.splitlines()[-1] == "Already in step: nothing to change."
    anki = Anki(studied)
    notes = anki.col.db.all("SELECT id, mod, usn FROM notes ORDER BY id")
    anki.close()
    (personal / "more.yaml").write_text(
        "questions:\n  - id: one-more\n    question: Who reviews the code?\n"
        "    purpose: how work is checked\n", encoding="utf-8")
    code, out, err = run(runner, "--collection", str(studied))
    assert (code, err) == (0, "")  # no "Anki's import did ..." warning: the plan was exact
    assert f"Synced: 1 added, 0 updated, {BUNDLED + 2} unchanged" in out
    anki = Anki(studied)
    try:
        after = anki.col.db.all("SELECT id, mod, usn FROM notes ORDER BY id")
        assert [row for row in after if row[0] in {n[0] for n in notes}] == notes
    finally:
        anki.close()


EXTRA = f"""\
deck: {TO_ASK}
questions:
  - id: my-extra
    question: What would make someone leave this team?
    purpose: what the team does not say in the ad
"""


@pytest.mark.parametrize("leaving_out", [["--no-personal"], ["--no-bundled"],
                                         ["--personal", "OTHER"]])
def test_prune_leaving_out_a_source_never_touches_its_questions(
    tmp_path: Path, personal: Path, runner: CliRunner, leaving_out: list[str]
) -> None:
    (personal / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "o.yaml").write_text(EXTRA.replace("my-extra", "o-extra"), encoding="utf-8")
    path = tmp_path / "collection.anki2"
    Anki(path).close()
    assert run(runner, "--collection", str(path))[0] == 0
    args = [str(other) if arg == "OTHER" else arg for arg in leaving_out]
    before = note_guids(path)
    code, out, err = run(runner, "--collection", str(path), *args, "--prune", "delete")
    assert (code, err) == (0, "")
    assert "from files not read this time (never pruned):" in out
    assert "still exists but was not read this time" in out
    assert "left the sources" not in out.split("\n", 2)[2]
    assert note_guids(path) == before | ({note_guid("o-extra")} if "OTHER" in leaving_out
                                         else set())


def test_moving_a_card_out_of_a_filtered_deck_says_so(studied: Path,
                                                      runner: CliRunner) -> None:
    anki = Anki(studied)
    did = anki.col.decks.new_filtered("Cram")
    deck = anki.col.decks.get(did)
    assert deck is not None
    deck["terms"][0][0] = "Id:move-me"
    anki.col.decks.save(deck)
    anki.col.sched.rebuild_filtered_deck(did)
    assert anki.col.db.scalar("SELECT count() FROM cards WHERE did = ?", did) > 0
    anki.close()
    code, out, err = run(runner, "--collection", str(studied), "--move-cards")
    assert code == 0, err
    assert (f"  move-me  How are new people brought up to speed here?  [{MINE} -> {ELSEWHERE} "
            "(leaves filtered deck Cram)]") in out
    anki = Anki(studied)
    try:
        cards = anki.note_by_guid(note_guid("move-me")).cards()
        assert {(anki.col.decks.name(c.did), c.odid) for c in cards} == {(ELSEWHERE, 0)}
    finally:
        anki.close()


def test_a_note_with_cards_outside_this_syncs_decks_is_never_pruned(
    studied: Path, runner: CliRunner
) -> None:
    anki = Anki(studied)
    cards = anki.note_by_guid(note_guid("delete-me")).cards()
    assert len(cards) > 1
    mine = anki.col.decks.id("My Own Deck")
    assert mine is not None
    anki.col.set_deck([cards[0].id], mine)
    anki.close()
    for prune in ("suspend", "delete"):
        code, out, err = run(runner, "--collection", str(studied), "--prune", prune)
        assert code == 0, err
        assert ("delete-me      What does a normal week look like for this ...  [also in My "
                "Own Deck, outside this sync's decks: never pruned]") in out
        assert f"1 note {prune}" in out  # salary-opener only
    anki = Anki(studied)
    try:
        assert anki.col.db.scalar("SELECT count() FROM cards WHERE queue = -1 AND nid = ?",
                                  anki.note_by_guid(note_guid("delete-me")).id) == 0
    finally:
        anki.close()


def test_notes_of_a_deleted_deck_file_are_listed_not_pruned(studied: Path, personal: Path,
                                                             runner: CliRunner) -> None:
    assert run(runner, "--collection", str(studied), "--move-cards")[0] == 0
    (personal / "elsewhere.yaml").unlink()
    code, out, err = run(runner, "--collection", str(studied), "--prune", "delete")
    assert code == 0, err
    assert out.splitlines()[1].endswith(", 1 in decks no source builds")
    assert ("in decks no source builds (never pruned):\n"
            f"  move-me  How are new people brought up to speed here?  [{ELSEWHERE}: no source "
            "builds it any more]") in out
    assert note_guid("move-me") in note_guids(studied)


def test_collections_that_are_not_files_are_named_clearly(tmp_path: Path,
                                                          runner: CliRunner) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for given, message in (("", "error: --collection needs a file name (a profile's "
                                "collection.anki2)\n"),
                           ("/dev/null", "error: /dev/null: not a regular file (give a "
                                         "collection.anki2)\n"),
                           (str(fifo), f"error: {fifo}: not a regular file (give a "
                                       "collection.anki2)\n")):
        code, out, err = run(runner, "--collection", given, "--dry-run")
        assert (code, err) == (1, message)
    for profile in ("empty", "full"):
        (tmp_path / "Anki2" / profile).mkdir(parents=True)
    Anki(tmp_path / "Anki2" / "full" / "collection.anki2").close()
    code, out, err = run(runner, "--base", str(tmp_path / "Anki2"), "--profile", "empty")
    assert (code, err) == (1, f"error: {tmp_path / 'Anki2' / 'empty'}: this profile has no "
                              "collection (collection.anki2) yet; open it once in Anki\n")


def test_errors_with_json_give_a_json_object_too(tmp_path: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "--collection", str(tmp_path / "missing.anki2"), "--json")
    assert code == 1
    assert err == f"error: {tmp_path / 'missing.anki2'}: no such collection file\n"
    assert json.loads(out) == {"error": f"{tmp_path / 'missing.anki2'}: no such collection file"}


def test_a_failed_sync_leaves_no_media_folder_beside_a_bare_collection_file(
    studied: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_after_the_changes(monkeypatch)
    shutil.rmtree(studied.parent / "collection.media")
    (studied.parent / "collection.media.db2").unlink(missing_ok=True)
    before = sorted(p.name for p in studied.parent.iterdir())
    code, out, err = run(runner, "--collection", str(studied), "--move-cards")
    assert code == 1 and "Anki could not apply the sync" in err
    assert sorted(p.name for p in studied.parent.iterdir()) == before


def test_an_unreadable_personal_folder_never_prunes_its_questions(
        studied: Path, personal: Path, tmp_path: Path, runner: CliRunner) -> None:
    # A personal folder that is a dangling link once made every personal question look gone.
    moved = tmp_path / "moved-away"
    personal.rename(moved)
    personal.symlink_to(tmp_path / "nowhere")
    before = digest(studied)
    code, out, err = run(runner, "--collection", str(studied), "--prune", "delete")
    assert code == 1
    assert f"{personal}: broken symbolic link" in err
    assert digest(studied) == before
