"""`sync` and the top deck: its description reaches the collection, and Study Now meets the
article's questions first, as after File > Import."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Anki

from interview_deck.apkg.writer import write_package
from interview_deck.cli import main
from interview_deck.model import Deck, Question
from interview_deck.paths import bundled_decks_dir

TOP = "Interview Questions"
ARTICLE = "Interview Questions::1. Questions to Ask"


def sync(runner: CliRunner, collection: Path, *args: str) -> str:
    result = runner.invoke(main, ["sync", "--collection", str(collection), *args],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def collection(tmp_path: Path, isolated_home: Path) -> Path:
    """A collection that already has the top deck without a description, as Anki makes it
    for a package that names only a subdeck (every release before the top deck's file)."""
    path = tmp_path / "collection.anki2"
    anki = Anki(path)
    deck = Deck(f"{TOP}::Earlier", questions=(
        Question(id="earlier", question="Who decides?", purpose="who decides"),))
    anki.import_package(write_package([deck], tmp_path / "earlier.apkg",
                                      revisions=tmp_path / "ledger.json").path)
    assert anki.col.decks.by_name(TOP)["desc"] == ""
    anki.close()
    return path


def test_sync_gives_the_top_deck_its_description_and_the_study_order(
        collection: Path, runner: CliRunner) -> None:
    sync(runner, collection)
    anki = Anki(collection)
    try:
        description = anki.col.decks.by_name(TOP)["desc"]
        assert "Start here" in description and "Bury new siblings" in description
        anki.col.decks.select(anki.col.decks.id_for_name(TOP))
        queued = anki.col.sched.get_queued_cards(fetch_limit=9).cards
        cards = [anki.col.get_card(entry.card.id) for entry in queued]
        assert {anki.col.decks.name(card.did) for card in cards} == {ARTICLE}
        assert {card.template()["name"] for card in cards} == {"Ask"}
        assert len({card.nid for card in cards}) == 9
    finally:
        anki.close()


def test_a_changed_description_alone_reaches_the_collection(
        collection: Path, runner: CliRunner, tmp_path: Path) -> None:
    sync(runner, collection)
    decks = tmp_path / "decks"
    decks.mkdir()
    for file in bundled_decks_dir().glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        if file.name == "top-deck.yaml":
            text = text.replace("Start here:", "Begin here:")
        (decks / file.name).write_text(text, encoding="utf-8")
    sync(runner, collection, "--no-bundled", str(decks))
    anki = Anki(collection)
    try:
        assert "Begin here" in anki.col.decks.by_name(TOP)["desc"]
    finally:
        anki.close()
