"""U+200C and U+200D between visible characters belong to the text (Persian spelling, emoji
sequences): accepted in deck names and tags, and stored by Anki unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Anki

from interview_deck import DeckError, load_decks, write_package
from interview_deck.apkg.revisions import Revisions

FAMILY = "Family \U0001f468\u200d\U0001f469\u200d\U0001f467"
CODER = "\U0001f469\u200d\U0001f4bb"
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # می‌خواهم


def deck_file(path: Path, deck: str, tags: list[str]) -> Path:
    listed = ", ".join(f'"{tag}"' for tag in tags)
    path.write_text(f'deck: "{deck}"\nquestions:\n  - id: a\n    question: Q?\n'
                    f"    purpose: p\n    tags: [{listed}]\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("deck", "tags"), [
    (FAMILY, [CODER]),
    (f"Interview Questions::{PERSIAN}", [PERSIAN, f"topic::{CODER}"]),
])
def test_joiners_between_letters_reach_anki_unchanged(tmp_path: Path, anki: Anki, deck: str,
                                                      tags: list[str]) -> None:
    decks = load_decks([deck_file(tmp_path / "d.yaml", deck, tags)])
    package = write_package(decks, tmp_path / "d.apkg", revisions=Revisions()).path
    assert anki.import_package(package).new == 1
    assert deck in [d.name for d in anki.col.decks.all_names_and_ids()]
    (note_id,) = anki.col.find_notes("")
    assert sorted(anki.col.get_note(note_id).tags) == sorted(tags)


@pytest.mark.parametrize(("deck", "tags", "message"), [
    ("Mine", ["a\u200d"], "tag 'a\u200d' contains the invisible character U+200D"),
    ("Mine", ["\u200ca"], "tag '\u200ca' contains the invisible character U+200C"),
    ("Mine", ["a\u200d\u200db"], "contains the invisible character U+200D"),
    ("Mine", ["a\u200bb"], "contains the invisible character U+200B"),
    ("Mine \u200d", ["t"], "contains the invisible character U+200D"),
    ("Mine\u200d::Sub", ["t"], None),  # joined to visible characters on both sides
])
def test_other_invisible_characters_stay_refused(tmp_path: Path, deck: str, tags: list[str],
                                                 message: str | None) -> None:
    path = deck_file(tmp_path / "d.yaml", deck, tags)
    if message is None:
        assert load_decks([path])
        return
    with pytest.raises(DeckError, match=re.escape(message)):
        load_decks([path])
