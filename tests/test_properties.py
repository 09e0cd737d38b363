"""Property tests: any text survives the trip to Anki as text; any bytes give only our errors."""

from __future__ import annotations

import unicodedata

import pytest
import yaml
from conftest import Anki, visible_lines
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from interview_deck.apkg.identity import note_guid
from interview_deck.apkg.revisions import Revisions
from interview_deck.apkg.writer import write_package
from interview_deck.errors import DeckError
from interview_deck.sources.loading import load_decks, parse_deck

# Printable text of any script, HTML-like markup and quotes included; control characters other
# than line breaks are refused by the loader (Anki cannot store them), tested elsewhere.
CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                           blacklist_characters="\ufeff\x85")
TEXT = st.lists(
    st.one_of(st.text(CHARACTERS, min_size=1, max_size=30),
              st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                               "&amp;", "\"quoted\"", "'single'", "[sound:x.mp3]", "{{Purpose}}",
                               "a\nb", "</div>", "<!--", "&lt;b&gt;"])),
    min_size=1, max_size=4,
).map("".join).filter(lambda s: s.strip() != "")


def normalise(text: str) -> list[str]:
    """What a reader should see: NFC (as Anki stores it), lines with whitespace folded."""
    text = unicodedata.normalize("NFC", text.strip())
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(question=TEXT, purpose=TEXT, setup=TEXT, variation=TEXT)
def test_any_text_reaches_anki_as_the_same_visible_text(
    tmp_path_factory: pytest.TempPathFactory, question: str, purpose: str, setup: str,
    variation: str,
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    source = {
        "deck": "Property",
        "questions": [{"id": "prop", "question": question, "purpose": purpose,
                       "setup": setup, "variations": [variation]}],
    }
    path = folder / "deck.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    (deck,) = load_decks([path])
    (loaded,) = deck.questions
    assert (loaded.question, loaded.purpose) == (question.strip(), purpose.strip())

    write_package([deck], folder / "deck.apkg", revisions=Revisions())
    anki = Anki(folder / "collection.anki2")
    try:
        anki.import_package(folder / "deck.apkg")
        note = anki.note_by_guid(note_guid("prop"))
        ask, why = sorted(note.cards(), key=lambda card: card.ord)
        ask_front = visible_lines(ask.question())
        assert ask_front[2:-1] == normalise(purpose)
        why_front = visible_lines(why.question())
        expected = ["Why ask", "You ask", *normalise(question),
                    *[f"Setup: {line}" if i == 0 else line
                      for i, line in enumerate(normalise(setup))],
                    "Why do you ask it?"]
        assert why_front == expected
        ask_back = visible_lines(ask.answer())
        start = ask_back.index("Or ask") + 1
        assert ask_back[start:start + len(normalise(variation))] == normalise(variation)
        for side in (ask.question(), ask.answer(), why.question(), why.answer()):
            body = side.split("</style>", 1)[1]
            assert "<script" not in body and "<img" not in body and "[sound:" not in body
    finally:
        anki.close()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
@example(b"\r!")  # a carriage return alone is a YAML line break
@example(b"{")  # an unclosed mapping is reported where it opens, not past the end
def test_any_bytes_give_a_deck_or_located_problems(data: bytes) -> None:
    parsed = parse_deck(data, "fuzz.yaml")
    assert (parsed.deck is None) == bool(parsed.problems)
    # YAML breaks lines at \r and at Unicode line separators too; splitlines is a superset.
    lines = len(data.decode("utf-8", "replace").splitlines()) + 1
    for problem in parsed.problems:
        assert problem.path == "fuzz.yaml" and problem.message
        assert 0 <= problem.line <= lines and problem.column >= 0


YAMLISH = st.lists(st.sampled_from([
    "deck: ", "questions:", "\n", "  - ", "id: ", "question: ", "purpose: ", "tags: ", "[", "]",
    "{", "}", ",", "&a ", "*a ", "x", "define-success", "\"", "'", ":", "\t", "- ", "? ", "|",
    ">", "!!str ", "!!binary ", "1", "null", "~", "é", "\u202e", "#", "%YAML 1.1\n", "---\n",
]), max_size=60).map("".join)


@settings(max_examples=500, deadline=None)
@given(YAMLISH)
def test_yaml_shaped_noise_gives_only_our_error_type(tmp_path_factory: pytest.TempPathFactory,
                                                     text: str) -> None:
    path = tmp_path_factory.mktemp("noise") / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_decks([path])
    except DeckError as error:
        assert error.problems
        lines = len(text.splitlines()) + 1
        for problem in error.problems:
            assert str(problem).startswith(str(path))
            assert 0 <= problem.line <= lines + 1 and problem.column >= 0
