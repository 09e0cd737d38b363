"""Your own questions: a personal folder, overrides, hiding, filters, and `add`."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Anki

from interview_deck.apkg.build import build
from interview_deck.apkg.identity import note_guid
from interview_deck.cli import main
from interview_deck.errors import DeckError, InterviewDeckError
from interview_deck.paths import bundled_decks_dir, personal_dir
from interview_deck.selection import Selection

BUNDLED_FILE = bundled_decks_dir() / "interview-questions.yaml"
ARTICLE_DECK = "Interview Questions::1. Questions to Ask"
BUNDLED_IDS = [q.id for deck in Selection(personal=False).load() for q in deck.questions]

MINE = """\
questions:
  - id: on-call
    question: What does on-call look like for this team?
    purpose: how often you would be paged, and who fixes the root causes
    tags: [operations]
"""

OVERRIDE = """\
overrides:
  - id: handle-conflict
    question: When two people on the team disagree, what happens next?
    variations: [Tell me about the last disagreement on the team.]
"""


@pytest.fixture
def personal(isolated_home: Path) -> Path:
    folder = isolated_home / ".config" / "interview-deck"
    folder.mkdir(parents=True)
    return folder


def ids(selection: Selection) -> list[str]:
    return [q.id for deck in selection.load() for q in deck.questions]


def test_the_personal_folder_follows_xdg_and_can_be_overridden(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert personal_dir() == isolated_home / ".config" / "interview-deck"
    monkeypatch.setenv("INTERVIEW_DECK_PERSONAL_DIR", str(isolated_home / "decks"))
    assert personal_dir() == isolated_home / "decks"


def test_personal_questions_are_included_by_default(personal: Path) -> None:
    (personal / "mine.yaml").write_text(MINE)
    assert ids(Selection())[-1] == "on-call"
    assert "on-call" not in ids(Selection(personal=False))
    decks = Selection().load()
    assert decks[-1].name == "Interview Questions::My Questions"


def test_a_missing_default_folder_is_fine_but_a_named_one_must_exist(tmp_path: Path) -> None:
    assert ids(Selection()) == BUNDLED_IDS
    with pytest.raises(DeckError, match="no such file or folder"):
        Selection(personal_folder=tmp_path / "nope").load()


def test_where_prints_the_folders(runner: CliRunner, personal: Path,
                                  isolated_home: Path) -> None:
    (personal / "mine.yaml").write_text(MINE)
    result = runner.invoke(main, ["where"], catch_exceptions=False)
    assert result.stdout.splitlines() == [
        f"bundled decks:  {bundled_decks_dir()}",
        f"personal decks: {personal} (1 deck file)",
        f"revisions:      {isolated_home / '.local/state/interview-deck/revisions.json'}",
    ]


def test_an_override_replaces_the_named_parts_and_keeps_the_rest(personal: Path) -> None:
    (personal / "mine.yaml").write_text(OVERRIDE)
    decks = Selection().load()
    assert [deck.name for deck in decks] == ["Interview Questions", ARTICLE_DECK,
                                             "Interview Questions::2. Dig Deeper"]
    question = {q.id: q for q in decks[1].questions}["handle-conflict"]
    assert question.question == "When two people on the team disagree, what happens next?"
    assert question.variations == ("Tell me about the last disagreement on the team.",)
    assert question.purpose.startswith("whether disagreements get aired")
    assert question.tags == ("stage::interview", "topic::team", "ask::peer", "ask::hiring-manager",
                             "bonus")


def test_hide_leaves_questions_out(personal: Path) -> None:
    (personal / "mine.yaml").write_text("hide: [salary-opener, handle-conflict]\n")
    assert ids(Selection(decks=(ARTICLE_DECK,))) == [
        "define-success", "why-stay-given-market", "change-one-thing", "why-people-stay",
        "why-people-leave", "tech-stack-decisions", "leadership-competing-priorities",
    ]


def test_an_accidental_id_clash_names_both_places(personal: Path) -> None:
    (personal / "mine.yaml").write_text(MINE.replace("id: on-call", "id: define-success"))
    with pytest.raises(DeckError) as caught:
        Selection().load()
    (problem,) = caught.value.problems
    line = BUNDLED_FILE.read_text().splitlines().index("  - id: define-success") + 1
    assert str(problem) == (
        f"{personal / 'mine.yaml'}:2:9: duplicate id 'define-success' (also used at "
        f"{BUNDLED_FILE}:{line}:9); to replace that question, list yours under 'overrides:' "
        "instead"
    )


@pytest.mark.parametrize("text, message", [
    ("overrides:\n  - id: defne-success\n    question: Mine?\n",
     "2:9: cannot override 'defne-success': no question has that id; "
     "did you mean 'define-success'?"),
    ("hide: [salary-openr]\n",
     "1:8: cannot hide 'salary-openr': no question has that id; did you mean 'salary-opener'?"),
    ("hide: [zzz]\n",
     "1:8: cannot hide 'zzz': no question has that id; run 'interview-deck list' to see the ids"),
    ("overrides:\n  - id: salary-opener\n", "2:5: override of 'salary-opener' changes nothing; "
     "add the keys to replace, such as 'question' or 'purpose'"),
    ("hide: [salary-opener]\noverrides:\n  - id: salary-opener\n    purpose: mine\n",
     "1:8: 'salary-opener' is both hidden here and overridden at {file}:3:9; keep one of the two"),
    (MINE + "hide: [on-call]\n",
     "6:8: cannot hide 'on-call': it is defined in this file; edit it there"),
    ("hide: [salary-opener, salary-opener]\n", "1:23: 'salary-opener' is listed twice in 'hide'"),
])
def test_overrides_and_hides_are_checked(personal: Path, text: str, message: str) -> None:
    file = personal / "mine.yaml"
    file.write_text(text)
    with pytest.raises(DeckError) as caught:
        Selection().load()
    assert [str(p) for p in caught.value.problems] == [
        f"{file}:{message.format(file=file)}"
    ]


def test_two_overrides_of_one_question_are_an_error(personal: Path) -> None:
    (personal / "a.yaml").write_text(OVERRIDE)
    (personal / "b.yaml").write_text(OVERRIDE)
    with pytest.raises(DeckError) as caught:
        Selection().load()
    assert [str(p) for p in caught.value.problems] == [
        f"{personal / 'b.yaml'}:2:9: 'handle-conflict' is already overridden at "
        f"{personal / 'a.yaml'}:2:9; keep one of the two"
    ]


def test_filters_select_by_tag_and_deck(personal: Path) -> None:
    (personal / "mine.yaml").write_text(MINE)
    assert ids(Selection(tags=("bonus", "OPERATIONS"))) == ["handle-conflict", "on-call"]
    assert ids(Selection(decks=("Interview Questions::My Questions",))) == ["on-call"]
    assert len(ids(Selection(decks=("Interview Questions",)))) == len(BUNDLED_IDS) + 1
    with pytest.raises(InterviewDeckError, match="no question matches the filters"):
        Selection(tags=("nope",)).load()
    with pytest.raises(InterviewDeckError, match="no question matches"):
        Selection(decks=("Interview",)).load()


THREE = """\
questions:
  - id: t-offer
    question: When does health cover start?
    purpose: whether you are covered from your first day
    tags: [stage::offer, topic::money]
  - id: t-code
    question: Who reviews changes before they are merged?
    purpose: how fast a change of yours would be looked at
    tags: [stage::interview, role::engineering]
  - id: t-team
    question: Who would I work with most closely?
    purpose: the people you would spend your days with
    tags: [stage::interview, topic::team]
"""


def test_skip_tag_leaves_out_a_tag_and_the_tags_under_it(personal: Path) -> None:
    (personal / "mine.yaml").write_text(MINE + THREE.removeprefix("questions:\n"))
    mine = Selection(bundled=False)
    assert ids(replace(mine, skip_tags=("Role::Engineering",))) == ["on-call", "t-offer",
                                                                     "t-team"]
    # A parent tag leaves out every tag under it, and several --skip-tag add up.
    assert ids(replace(mine, skip_tags=("stage",))) == ["on-call"]
    assert ids(replace(mine, skip_tags=("stage::offer", "operations"))) == ["t-code", "t-team"]
    # --tag applies first, then --skip-tag.
    assert ids(replace(mine, tags=("stage::interview",), skip_tags=("role::engineering",))) == [
        "t-team"]
    # Only whole parts of a tag count: "stage::off" is no parent of "stage::offer".
    assert ids(replace(mine, tags=("stage",), skip_tags=("stage::off",))) == [
        "t-offer", "t-code", "t-team"]
    # The bundled decks: a sheet without the engineering-only questions.
    bundled = ids(Selection(personal=False))
    kept = ids(Selection(personal=False, skip_tags=("role::engineering",)))
    assert 0 < len(kept) < len(bundled) and set(kept) < set(bundled)
    with pytest.raises(InterviewDeckError, match="no question matches the filters"):
        replace(mine, tags=("operations",), skip_tags=("operations::x", "operations")).load()


def test_build_and_list_take_the_filters(runner: CliRunner, personal: Path,
                                         tmp_path: Path) -> None:
    (personal / "mine.yaml").write_text(MINE)
    result = runner.invoke(main, ["list", "--tag", "operations"], catch_exceptions=False)
    assert result.stdout.splitlines()[-1] == "1 question in 1 deck, 2 cards"
    out = tmp_path / "x.apkg"
    result = runner.invoke(main, ["build", "--deck", "Interview Questions::1. Questions to Ask",
                                  "--no-personal", "-o", str(out)], catch_exceptions=False)
    assert "2 decks, 9 notes" in result.stderr  # with the top deck, for its description
    result = runner.invoke(main, ["list", "--skip-tag", "operations", "--no-bundled"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no question matches the filters (tags: "
                                    "operations;")
    result = runner.invoke(main, ["list", "--tag", "nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no question matches the filters (tags: "
                                    "ask::hiring-manager, ")


ADD = ["add", "--question", "What does on-call look like here?",
       "--purpose", "how often you would be paged", "--tag", "operations",
       "--variation", "How often are people paged at night?"]


def test_add_creates_a_personal_file_that_builds(runner: CliRunner, isolated_home: Path,
                                                 tmp_path: Path) -> None:
    result = runner.invoke(main, ADD, catch_exceptions=False)
    file = isolated_home / ".config" / "interview-deck" / "my-questions.yaml"
    assert result.stderr == f"Added 'what-does-on-call-look-like-here' to {file}.\n"
    assert result.stdout == ""
    (deck,) = Selection(bundled=False).load()
    (question,) = deck.questions
    assert question.variations == ("How often are people paged at night?",)
    assert deck.name == "Interview Questions::My Questions"
    result = runner.invoke(main, ADD, catch_exceptions=False)
    assert "what-does-on-call-look-like-here-2" in result.stderr


def test_add_keeps_comments_and_the_rest_of_the_file(runner: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    original = (
        "# My questions\n"
        "deck: Mine   # the deck\n"
        "questions:\n"
        "    - id: first   # keep me\n"
        "      question: First?\n"
        "      purpose: one\n"
        "      # about first\n"
        "\n"
        "# hidden ones\n"
        "hide: [salary-opener]\n"
    )
    file.write_text(original)
    result = runner.invoke(main, [*ADD, "--file", str(file), "--id", "on-call"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    text = file.read_text()
    assert text.startswith(original.split("\n\n")[0] + "\n    - id: on-call\n")
    assert text.endswith("\n\n# hidden ones\nhide: [salary-opener]\n")
    deck = Selection(paths=(file,), personal=False).load()[-1]
    assert [q.id for q in deck.questions] == ["first", "on-call"]


@pytest.mark.parametrize("extra, message", [
    (["--tag", "on call"], "tag 'on call' contains a space"),
    (["--id", "define-success"], "id 'define-success' is already used by another question"),
    (["--id", "Bad Id"], "id 'Bad Id' is not a valid id"),
])
def test_add_checks_before_writing(runner: CliRunner, tmp_path: Path, extra: list[str],
                                   message: str) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text(MINE)
    before = file.read_bytes()
    result = runner.invoke(main, [*ADD, "--file", str(file), *extra])
    assert result.exit_code == 1
    assert message in result.stderr
    assert file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


def test_add_refuses_a_flow_style_question_list(runner: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text("questions: [{id: a, question: A?, purpose: p}]\n")
    result = runner.invoke(main, [*ADD, "--file", str(file)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {file}:1:12: 'questions' is written in brackets; write it "
                             "as a block list ('- id: ...' lines) so that questions can be "
                             "added\n")


def test_add_without_a_terminal_needs_the_options(runner: CliRunner) -> None:
    result = runner.invoke(main, ["add", "--question", "Only a question?"])
    assert result.exit_code == 2
    assert "--question and --purpose are required" in result.stderr


def test_add_asks_in_a_terminal(isolated_home: Path, tmp_path: Path) -> None:
    """Run the installed command on a real pseudo-terminal and answer its prompts."""
    main_fd, child_fd = os.openpty()
    script = Path(sys.executable).parent / "interview-deck"
    process = subprocess.Popen([str(script), "add"], stdin=child_fd, stdout=child_fd,
                               stderr=child_fd, env={**os.environ}, cwd=tmp_path)
    os.close(child_fd)
    answers = iter(["Who decides what the team works on?", "how priorities are set",
                    "Ask about the last planning meeting first.", "Who sets priorities?", "",
                    "What is your process?", "", "They name who decided last time.", "",
                    "Nobody knows.", "", "", "planning culture", ""])
    seen = b""
    deadline = time.monotonic() + 60
    prompts = [b"Question", b"Purpose", b"Setup", b"Another wording", b"Another wording",
               b"A weaker question", b"A weaker question", b"A good sign", b"A good sign",
               b"A red flag", b"A red flag", b"A follow-up", b"Tags", b"Id"]
    for prompt in prompts:
        while prompt not in seen.split(b"\n")[-1] and time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 1)
            if ready:
                try:
                    seen += os.read(main_fd, 4096)
                except OSError:
                    break
        os.write(main_fd, next(answers).encode() + b"\n")
    assert process.wait(timeout=60) == 0, seen.decode(errors="replace")
    os.close(main_fd)
    (deck,) = Selection(bundled=False).load()
    (question,) = deck.questions
    assert question.id == "who-decides-what-the-team-works-on", "whole words, the whole question"
    assert question.setup == "Ask about the last planning meeting first."
    assert question.variations == ("Who sets priorities?",)
    assert question.instead_of == ("What is your process?",)
    assert question.good_signs == ("They name who decided last time.",)
    assert question.red_flags == ("Nobody knows.",)
    assert question.follow_ups == ()
    assert question.tags == ("planning", "culture")


def test_progress_survives_adding_overriding_hiding_and_upgrading(
    anki: Anki, personal: Path, tmp_path: Path
) -> None:
    """The user's months, in one test: every import with Anki's default options."""
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    (upstream / "interview-questions.yaml").write_text(BUNDLED_FILE.read_text())
    ledger = tmp_path / "revisions.json"
    step = 0

    def rebuild_and_import() -> tuple[int, int]:
        nonlocal step
        step += 1
        out = tmp_path / f"step{step}.apkg"
        selection = Selection(paths=(upstream,), bundled=False)
        build(selection, out, ledger=ledger)
        log = anki.import_package(out)
        assert log.conflicting == 0
        return log.new, log.updated

    assert rebuild_and_import() == (9, 0)
    reviewed = ["define-success", "handle-conflict", "salary-opener", "why-people-leave"]
    for question_id in reviewed:
        for card in anki.note_by_guid(note_guid(question_id)).cards():
            anki.review(card.id, "GOOD")

    def history() -> dict[int, tuple[int, int, int]]:
        return {c.id: (c.ivl, c.reps, c.type) for qid in reviewed
                for c in anki.note_by_guid(note_guid(qid)).cards()}

    revlog_count = anki.col.db.scalar("select count() from revlog")
    before = history()
    assert revlog_count == sum(len(anki.note_by_guid(note_guid(qid)).cards()) for qid in reviewed)

    def unchanged_progress() -> None:
        assert history() == before
        assert anki.col.db.scalar("select count() from revlog") == revlog_count
        guids = anki.col.db.list("select guid from notes")
        assert len(guids) == len(set(guids))

    (personal / "mine.yaml").write_text(MINE)                                # (a) add
    assert rebuild_and_import() == (1, 0)
    unchanged_progress()

    (personal / "mine.yaml").write_text(MINE + OVERRIDE)                     # (b) override
    assert rebuild_and_import() == (0, 1)
    unchanged_progress()
    note = anki.note_by_guid(note_guid("handle-conflict"))
    assert note["Question"] == "When two people on the team disagree, what happens next?"

    (personal / "mine.yaml").write_text(MINE + OVERRIDE + "hide: [salary-opener]\n")  # (c) hide
    assert rebuild_and_import() == (0, 0)
    unchanged_progress()
    assert anki.note_count() == 10  # Anki never deletes: the hidden note stays, with its cards

    bundled = upstream / "interview-questions.yaml"                          # (d) upgrade
    text = bundled.read_text()
    text = text.replace("What's something you would love to change about the company?",
                        "What is one thing you would love to change about the company?")
    text = text.replace("How do you folks handle conflict", "How do you all handle conflict")
    bundled.write_text(text)
    assert rebuild_and_import() == (0, 1)
    unchanged_progress()
    assert anki.note_by_guid(note_guid("change-one-thing"))["Question"].startswith(
        "What is one thing")
    assert anki.note_by_guid(note_guid("handle-conflict"))["Question"] == (
        "When two people on the team disagree, what happens next?")

    (personal / "mine.yaml").write_text(MINE)                                # override removed
    assert rebuild_and_import() == (0, 1)
    unchanged_progress()
    assert anki.note_by_guid(note_guid("handle-conflict"))["Question"] == (
        "How do you all handle conflict between team members?")
    assert anki.note_count() == 10


def test_add_keeps_windows_line_endings_and_odd_list_spacing(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    file.write_bytes(b"deck: Mine\r\nquestions:\r\n  -   id: first\r\n      question: First?\r\n"
                     b"      purpose: one\r\n")
    result = runner.invoke(main, [*ADD, "--file", str(file), "--id", "on-call"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = file.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r\n  - id: on-call\r\n" in data
    deck = Selection(paths=(file,), personal=False, bundled=False).load()[0]
    assert [q.id for q in deck.questions] == ["first", "on-call"]


def test_a_personal_folder_from_the_environment_may_be_empty_or_missing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERVIEW_DECK_PERSONAL_DIR", str(tmp_path / "not-yet"))
    assert runner.invoke(main, ["check"]).exit_code == 0
    (tmp_path / "not-yet").mkdir()
    assert runner.invoke(main, ["check"]).exit_code == 0
    result = runner.invoke(main, ["check", "--personal", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path / 'missing'}: no such file or folder")


README_PERSONAL = (Path(__file__).resolve().parents[2] / "README.md").read_text().split(
    "# ~/.config/interview-deck/my-questions.yaml\n", 1)[1].split("```", 1)[0]


def test_the_readme_personal_file_builds_with_and_without_the_bundled_deck(
    runner: CliRunner, personal: Path, tmp_path: Path
) -> None:
    (personal / "my-questions.yaml").write_text(README_PERSONAL)
    assert len(ids(Selection())) == len(BUNDLED_IDS)  # all bundled - 1 hidden + 1 own
    assert ids(Selection(bundled=False)) == ["on-call"]
    result = runner.invoke(main, ["build", "--no-bundled", "-o", str(tmp_path / "x.apkg")])
    assert result.exit_code == 0, result.stderr
    assert "1 deck, 1 note, 2 cards" in result.stderr


def test_without_the_bundled_deck_a_typo_is_still_an_error(personal: Path) -> None:
    (personal / "mine.yaml").write_text(MINE + "hide: [salary-openr]\n")
    with pytest.raises(DeckError, match="did you mean 'salary-opener'"):
        Selection(bundled=False).load()


def test_an_override_may_remove_the_setup(personal: Path) -> None:
    (personal / "mine.yaml").write_text(
        "overrides:\n  - id: why-stay-given-market\n    setup:\n")
    (top, deck) = Selection(decks=(ARTICLE_DECK,)).load()
    assert (top.name, top.questions) == ("Interview Questions", ())
    question = {q.id: q for q in deck.questions}["why-stay-given-market"]
    assert question.setup == ""


def test_filters_compare_as_anki_does(personal: Path) -> None:
    (personal / "mine.yaml").write_text(MINE.replace("[operations]", "[ops::on-call]"))
    assert ids(Selection(decks=("interview questions::my questions",))) == ["on-call"]
    assert ids(Selection(tags=("OPS",))) == ["on-call"]
    assert ids(Selection(tags=("ops::on-call",))) == ["on-call"]
    with pytest.raises(InterviewDeckError):
        Selection(tags=("op",)).load()


@pytest.mark.parametrize("before, after", [
    ("deck: Mine\nquestions:\n  -\n    id: first\n    question: F?\n    purpose: p\n",
     "deck: Mine\nquestions:\n  -\n    id: first\n    question: F?\n    purpose: p\n"
     "  - id: on-call\n"),
    ("deck: Mine\nquestions:\n  - # the first\n    id: first\n    question: F?\n    purpose: p\n",
     "    purpose: p\n  - id: on-call\n"),
    ("deck: Mine\nhide: [salary-opener]\n...\n",
     "deck: Mine\nhide: [salary-opener]\nquestions:\n  - id: on-call\n"),
    ("# just a comment\n", "# just a comment\n# Your own interview questions"),
    ("deck: Mine\nquestions: []\n", "deck: Mine\nquestions:\n  - id: on-call\n"),
    ("deck: Mine\nquestions:\n# none yet\n", "deck: Mine\nquestions:\n  - id: on-call\n"),
])
def test_add_handles_every_shape_of_file(runner: CliRunner, tmp_path: Path, before: str,
                                         after: str) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text(before)
    result = runner.invoke(main, [*ADD, "--file", str(file), "--id", "on-call"])
    assert result.exit_code == 0, result.stderr
    text = file.read_text()
    assert after in text, text
    deck = Selection(paths=(file,), personal=False).load()[-1]
    assert deck.questions[-1].id == "on-call"


def test_add_never_reuses_a_hidden_id_or_one_in_the_target_file(
    runner: CliRunner, personal: Path, tmp_path: Path
) -> None:
    (personal / "hide.yaml").write_text("hide: [salary-opener]\n")
    result = runner.invoke(main, [*ADD, "--id", "salary-opener"])
    assert result.exit_code == 1
    assert "id 'salary-opener' is already used by another question" in result.stderr
    outside = tmp_path / "o.yaml"
    for expected in ("same", "same-2"):
        result = runner.invoke(main, ["add", "--file", str(outside), "--question", "Same?",
                                      "--purpose", "p"], catch_exceptions=False)
        assert result.stderr.startswith(f"Added '{expected}' to {outside}.\n")


def test_add_refuses_a_deck_that_clashes_or_differs(runner: CliRunner, tmp_path: Path) -> None:
    clash = tmp_path / "new.yaml"
    result = runner.invoke(main, [*ADD, "--file", str(clash),
                                  "--deck", "interview questions::1. questions to ask"])
    assert result.exit_code == 1
    assert "Anki treats them as one deck" in result.stderr
    assert not clash.exists()
    existing = tmp_path / "mine.yaml"
    existing.write_text("deck: Mine\nquestions:\n  - id: a\n    question: A?\n    purpose: p\n")
    result = runner.invoke(main, [*ADD, "--file", str(existing), "--deck", "Other"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {existing}: its deck is 'Mine'; --deck only names the "
                             "deck of a new file (edit the file to move its questions)\n")


def test_add_with_an_empty_question_is_an_error_not_a_prompt(runner: CliRunner) -> None:
    result = runner.invoke(main, ["add", "--question", "", "--purpose", "p"])
    assert result.exit_code == 1
    assert "'question' is empty" in result.stderr


def test_ids_made_from_questions_keep_accented_letters_readable() -> None:
    from interview_deck.sources.authoring import unique_id

    assert unique_id("¿Qué tal el equipo, bien?", set()) == "que-tal-el-equipo-bien"


def test_add_warns_when_the_same_question_is_already_there(runner: CliRunner,
                                                           isolated_home: Path) -> None:
    runner.invoke(main, ADD, catch_exceptions=False)
    result = runner.invoke(main, ADD, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.endswith("warning: 'what-does-on-call-look-like-here' asks the same "
                                  "question; remove one of the two if that was not on purpose\n")


def test_ids_from_questions_drop_apostrophes_cleanly() -> None:
    from interview_deck.sources.authoring import unique_id

    assert unique_id("What's the team's release cadence?", set()) == (
        "whats-the-teams-release-cadence")


def test_a_personal_folder_kept_in_git_reads_only_the_decks(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "personal"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config.yaml").write_text("not: a deck\n")
    (folder / ".github" / "workflows").mkdir(parents=True)
    (folder / ".github" / "workflows" / "check.yml").write_text("on: [push]\n")
    (folder / ".pre-commit-config.yaml").write_text("repos: []\n")
    (folder / "my-questions.yaml").write_text(MINE)
    result = runner.invoke(main, ["list", "--no-bundled", "--personal", str(folder)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 question in 1 deck,")
    where = runner.invoke(main, ["where", "--personal", str(folder)], catch_exceptions=False)
    assert f"personal decks: {folder} (1 deck file)" in where.stdout
    # a hidden file named on the command line is still read
    result = runner.invoke(main, ["check", "--no-bundled", str(folder / ".pre-commit-config.yaml")])
    assert result.exit_code == 1 and "unknown key 'repos'" in result.stderr


@pytest.mark.parametrize(("question", "expected"), [
    ("Who decides what the team works on?", "who-decides-what-the-team-works-on"),
    ("Who decides what the team works on, and how do priorities change when a quarter goes "
     "badly?", "who-decides-team-works-priorities-change"),
    ("If you could change one thing about how the team works, what would it be?",
     "change-one-thing-team-works"),
])
def test_ids_from_questions_end_on_a_whole_word_and_keep_key_words(question: str,
                                                                   expected: str) -> None:
    from interview_deck.sources.authoring import unique_id

    made = unique_id(question, set())
    assert made == expected
    assert len(made) <= 40
    words = set(re.findall(r"[a-z]+", question.lower()))
    assert all(word in words for word in made.split("-")), "whole words of the question"


def test_a_new_personal_file_says_it_is_read_on_every_run(runner: CliRunner,
                                                          isolated_home: Path) -> None:
    runner.invoke(main, ADD, catch_exceptions=False)
    file = isolated_home / ".config" / "interview-deck" / "my-questions.yaml"
    assert file.read_text().splitlines()[1:3] == [
        "# interview-deck reads this file on every run (it is in your personal folder):",
        "# check with 'interview-deck check', build with 'interview-deck build --open'."]


def test_a_file_elsewhere_names_itself_in_full_and_that_works_from_anywhere(
        runner: CliRunner, tmp_path: Path) -> None:
    import shlex

    from _processes import command

    file = tmp_path / "my dir" / "o.yaml"
    file.parent.mkdir()
    result = runner.invoke(main, [*ADD, "--file", str(file)], catch_exceptions=False)
    assert result.exit_code == 0
    header = file.read_text().splitlines()[1]
    assert header == f"# Check with: interview-deck check {shlex.quote(str(file))}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = shlex.split(header.split(": ", 1)[1])[1:]
    done = subprocess.run(command(*args), cwd=elsewhere, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No problems:")
