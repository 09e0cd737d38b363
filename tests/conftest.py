"""Shared fixtures: an isolated home for every test, a real Anki collection, a CLI runner."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a green run stays green;
# runs at home draw new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point HOME and the XDG folders at a temp folder: tests never touch the user's files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    for name in list(os.environ):
        # ANKI_BASE would point `sync` at a real Anki folder.
        if name.startswith("INTERVIEW_DECK_") or name in ("SOURCE_DATE_EPOCH", "ANKI_BASE"):
            monkeypatch.delenv(name)
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@dataclass
class ImportLog:
    new: int
    updated: int
    duplicate: int
    conflicting: int


class Anki:
    """A fresh collection of the real `anki` package, with the helpers tests need."""

    def __init__(self, path: Path) -> None:
        from anki.collection import Collection

        self.col = Collection(str(path))

    def import_package(self, package: Path) -> ImportLog:
        """Import like File > Import with Anki's default options."""
        from anki.collection import ImportAnkiPackageRequest

        options = self.col._backend.get_import_anki_package_presets()
        response = self.col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package.resolve()), options=options)
        )
        log = response.log
        return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))

    def note_count(self) -> int:
        return self.col.note_count()

    def card_count(self) -> int:
        return self.col.card_count()

    def note_by_guid(self, guid: str):  # type: ignore[no-untyped-def]
        nid = self.col.db.scalar("select id from notes where guid = ?", guid)
        assert nid is not None, f"no note with guid {guid}"
        return self.col.get_note(nid)

    def review(self, card_id: int, rating: str = "GOOD") -> None:
        """Answer a card through Anki's scheduler, as a user studying it would."""
        from anki.scheduler.v3 import CardAnswer

        card = self.col.get_card(card_id)
        card.start_timer()
        states = self.col._backend.get_scheduling_states(card.id)
        answer = self.col.sched.build_answer(
            card=card, states=states, rating=getattr(CardAnswer, rating)
        )
        self.col.sched.answer_card(answer)

    def close(self) -> None:
        self.col.close()


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[Anki]:
    collection = Anki(tmp_path / "collection.anki2")
    yield collection
    collection.close()


class _Visible(HTMLParser):
    """Collects the text a person sees: no style or script contents, block tags as line breaks."""

    BLOCKS = {"div", "section", "h1", "h2", "h3", "li", "ul", "br", "hr", "p"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("style", "script"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.hidden -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_lines(markup: str) -> list[str]:
    """The non-empty lines of text a rendered card shows, whitespace folded."""
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def visible_text(markup: str) -> str:
    return " ".join(visible_lines(markup))


def unescape(value: str) -> str:
    return html.unescape(re.sub(r"<br\s*/?>", "\n", value))


def counts(decks) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(decks, notes, cards) a build of ``decks`` writes, as the library counts them."""
    from interview_deck.apkg.cards import note_cards

    notes = sum(len(deck.questions) for deck in decks)
    cards = sum(len(note_cards(q, deck)) for deck in decks for q in deck.questions)
    return len(decks), notes, cards


def bundled_summary() -> str:
    """The bundled decks' counts as `build` prints them: "1 deck, 9 notes, 19 cards"."""
    from interview_deck.selection import bundled_decks

    decks, notes, cards = counts(bundled_decks())
    return (f"{decks} deck{'s' * (decks != 1)}, {notes} notes, {cards} cards")
