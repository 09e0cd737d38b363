"""Data-driven input checks: every bad file gives exactly its expected problems; every good
file, and every bundled deck, loads; the JSON Schema agrees with the loader."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from interview_deck.errors import DeckError
from interview_deck.paths import bundled_decks_dir, schema_path
from interview_deck.selection import filter_decks
from interview_deck.sources.loading import LOADER as sources_loader
from interview_deck.sources.loading import load_decks, parse_deck

DATA = Path(__file__).parents[1] / "data"
INVALID = sorted((DATA / "invalid").glob("*.y*ml"))
VALID = sorted((DATA / "valid").glob("*.y*ml"))
BUNDLED = sorted(bundled_decks_dir().glob("*.y*ml"))

# Problems a JSON Schema cannot see: it reads the data after YAML has (silently) resolved them.
SCHEMA_BLIND = {
    "alias-list": "aliases are expanded before the schema sees the data",
    "alias-question": "aliases are expanded before the schema sees the data",
    "alias-scalar": "aliases are expanded before the schema sees the data",
    "duplicate-key-deck-level": "YAML keeps the last of two equal keys",
    "duplicate-key-question-level": "YAML keeps the last of two equal keys",
    "duplicate-ids-in-file": "uniqueness of a property across list items",
    "tag-duplicate-case": "Anki compares tags case-insensitively; uniqueItems does not",
    "merge-key": "YAML merges the keys before the schema sees the data",
    "alias-after-colon-json-style": "aliases are expanded before the schema sees the data",
    "tag-duplicate-unicode-forms": "uniqueItems compares code points, Anki compares NFC text",
    "not-utf8-utf16": "YAML allows UTF-16 with a byte order mark; deck files must be UTF-8",
    "cards-give-a-question-no-card": "which cards a question gets depends on the deck's keys",
}


def problems_of(path: Path) -> list[str]:
    try:
        load_decks([path])
    except DeckError as error:
        return [f"{p.line}:{p.column}: {p.message}" if p.line else f"0:0: {p.message}"
                for p in error.problems]
    return []


def test_the_corpus_is_large_enough() -> None:
    assert len(INVALID) >= 40
    assert len(VALID) >= 8
    assert BUNDLED


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_bad_input_gives_exactly_the_expected_problems(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    started = time.perf_counter()
    assert problems_of(path) == expected
    assert time.perf_counter() - started < 2, "refuse abusive input quickly"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_problems_name_the_file_they_are_in(path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        load_decks([path])
    assert {p.path for p in caught.value.problems} == {str(path)}
    assert parse_deck(path.read_bytes(), str(path)).problems == caught.value.problems


@pytest.mark.parametrize("path", VALID + BUNDLED, ids=lambda p: p.stem)
def test_good_input_loads(path: Path) -> None:
    (deck,) = load_decks([path])
    assert deck.questions or deck.description


def test_all_good_files_load_together() -> None:
    decks = load_decks([DATA / "valid", bundled_decks_dir()])
    assert len(decks) == len(VALID) + len(BUNDLED)


def test_a_parent_deck_description_comes_with_its_subdecks(tmp_path: Path) -> None:
    (tmp_path / "top.yaml").write_text("deck: Prep\ndescription: Start with A.\n")
    (tmp_path / "a.yaml").write_text("deck: Prep::A\nquestions:\n  - id: a\n    question: q\n"
                                     "    purpose: p\n    tags: [x]\n")
    (tmp_path / "b.yaml").write_text("deck: Other\nquestions:\n  - id: b\n    question: q\n"
                                     "    purpose: p\n")
    decks = load_decks([tmp_path])
    assert [(d.name, d.description, len(d.questions)) for d in decks] == [
        ("Prep::A", "", 1), ("Other", "", 1), ("Prep", "Start with A.", 0)]
    names = [[d.name for d in filter_decks(decks, **chosen)] for chosen in (
        {"deck_names": ["Prep::A"]}, {"deck_names": ["Other"]}, {"tags": ["x"]})]
    assert names == [["Prep", "Prep::A"], ["Other"], ["Prep", "Prep::A"]]


def test_an_id_used_in_two_files_names_both_places(tmp_path: Path) -> None:
    body = "deck: D\nquestions:\n  - id: same\n    question: q\n    purpose: p\n"
    (tmp_path / "a.yaml").write_text(body)
    (tmp_path / "b.yaml").write_text("# second\n" + body)
    with pytest.raises(DeckError) as caught:
        load_decks([tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b.yaml'}:4:9: duplicate id 'same' (also used at {tmp_path / 'a.yaml'}:3:9); "
        "to replace that question, list yours under 'overrides:' instead"
    ]


def test_a_folder_without_yaml_and_a_missing_path(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DeckError) as caught:
        load_decks([tmp_path / "empty", tmp_path / "missing.yaml"])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'empty'}: folder has no .yaml or .yml files",
        f"{tmp_path / 'missing.yaml'}: no such file or folder",
    ]


def test_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("deck: A\nquestions: []\n")
    (tmp_path / "b.yaml").write_text("deck: B\n")
    with pytest.raises(DeckError) as caught:
        load_decks([tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'a.yaml'}:2:12: 'questions' is empty; add at least one question",
        f"{tmp_path / 'b.yaml'}:1:1: deck file is missing required key 'questions'",
    ]


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import interview_deck.sources.parsing as parsing

    monkeypatch.setattr(parsing, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.yaml"
    path.write_text("deck: x\n" + "#" * 2000)
    assert problems_of(path) == [
        "0:0: file is larger than 0 MiB; split it into several deck files"
    ]


def test_many_problems_are_capped(tmp_path: Path) -> None:
    items = "".join(f"  - id: Q{i}\n    question: q\n    purpose: p\n" for i in range(150))
    path = tmp_path / "many.yaml"
    path.write_text("deck: D\nquestions:\n" + items)
    found = problems_of(path)
    assert len(found) == 101
    assert found[-1] == "0:0: 50 more problems not shown; fix the ones above and check again"


SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))


def schema_accepts(path: Path) -> bool:
    try:
        data = yaml.load(path.read_bytes(), Loader=sources_loader)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return False
    return jsonschema.Draft202012Validator(SCHEMA).is_valid(data)


def test_the_shipped_schema_is_the_one_the_parts_declare() -> None:
    """Fix: python -m interview_deck.schema > decks/deck.schema.json"""
    from interview_deck.schema import schema_text

    assert schema_path().read_text(encoding="utf-8") == schema_text(), (
        test_the_shipped_schema_is_the_one_the_parts_declare.__doc__)


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", VALID + BUNDLED, ids=lambda p: p.stem)
def test_the_schema_accepts_every_good_file(path: Path) -> None:
    assert schema_accepts(path)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_the_schema_rejects_every_bad_file_it_can_see(path: Path) -> None:
    if path.stem in SCHEMA_BLIND:
        assert schema_accepts(path), f"no longer schema-blind: {path.stem}"
    else:
        assert not schema_accepts(path)


def test_a_path_that_cannot_exist_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / ("a" * 300 + ".yaml")
    with pytest.raises(DeckError) as caught:
        load_decks([path])
    (problem,) = caught.value.problems
    assert problem.path == str(path) and "File name too long" in problem.message


def test_one_deck_spelt_two_ways_or_described_twice(tmp_path: Path) -> None:
    body = "questions:\n  - id: {id}\n    question: q\n    purpose: p\n"
    (tmp_path / "a.yaml").write_text("deck: Mine\ndescription: one\n" + body.format(id="a"))
    (tmp_path / "b.yaml").write_text("deck: mine\n" + body.format(id="b"))
    (tmp_path / "c.yaml").write_text("deck: Mine\ndescription: two\n" + body.format(id="c"))
    (tmp_path / "d.yaml").write_text("deck: Mine\n" + body.format(id="d"))
    with pytest.raises(DeckError) as caught:
        load_decks([tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'b.yaml'}:1:7: deck 'mine' is spelt 'Mine' at {tmp_path / 'a.yaml'}:1:7; "
        "Anki treats them as one deck, so use one spelling",
        f"{tmp_path / 'c.yaml'}:1:7: deck 'Mine' has another description at "
        f"{tmp_path / 'a.yaml'}:1:7; give it in one file only",
    ]
