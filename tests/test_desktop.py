"""The cards in the real Anki desktop app: aqt's reviewer under Xvfb, compared with the preview.

tests/anki_desktop.py starts Anki (the `aqt` package, same version as `anki`) with a throwaway
profile, imports a package holding every card kind, and shows each side in its reviewer, in
light and night mode, at desktop and phone width. Here we check what it recorded against the
backend and against the preview page in headless Chromium. Skipped unless aqt, xvfb-run and
Chromium are installed; under CI=true it must run (.ci/run installs them).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from anki_desktop import PARTS
from conftest import visible_text
from test_browser import CHROMIUM, FLAGS
from test_cards import QUESTIONS

from interview_deck import Deck, Question, write_package
from interview_deck.apkg.cards import render_cards
from interview_deck.apkg.revisions import Revisions
from interview_deck.exports.preview import preview_html

DRIVER = Path(__file__).with_name("anki_desktop.py")
XVFB = shutil.which("xvfb-run")
MISSING = [name for name, found in (("aqt", importlib.util.find_spec("aqt")), ("xvfb-run", XVFB),
                                     ("chromium", CHROMIUM)) if not found]
WIDTHS = {"desktop": 800, "phone": 375}
# Unbroken words in every part: they must wrap, never widen a phone's screen.
LONG = Question(id="long-words", question="W" * 60 + "?", purpose="p" * 70,
                setup="https://example.invalid/" + "z" * 60, variations=("v" * 70,),
                instead_of=("u" * 70,), good_signs=("g" * 70,), red_flags=("r" * 70,),
                follow_ups=("f" * 70,))
DECK = Deck("Interview Questions::Desktop", (*QUESTIONS, LONG), source="s" * 70)

if MISSING and os.environ.get("CI") == "true":
    pytest.fail(f"CI=true but {', '.join(MISSING)} missing: .ci/run installs them",
                pytrace=False)
pytestmark = pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)}")

Key = tuple[str, str, str, str, str]  # question id, card name, side, mode, size


@pytest.fixture(scope="module")
def reviewer(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, dict[str, Any]]:
    """What Anki's reviewer showed for each side, mode and width."""
    folder = tmp_path_factory.mktemp("desktop")
    package = write_package([DECK], folder / "cards.apkg", revisions=Revisions()).path
    home = folder / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache")}
    # Its own session, so a timeout ends Xvfb, Anki and its web engine together.
    run = subprocess.Popen(
        [XVFB or "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
         sys.executable, str(DRIVER), str(package), str(folder / "out")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    try:
        output, _ = run.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        output, _ = run.communicate()
    (folder / "anki.log").write_text(output, encoding="utf-8")
    assert run.returncode == 0, output[-5000:]
    sides = json.loads((folder / "out" / "sides.json").read_text(encoding="utf-8"))
    # The driver shows its progress (the bundled decks take minutes), up to the last side.
    assert f"showing {len(sides)} sides" in output and f"{len(sides)}/{len(sides)} sides" in output
    return {(s["id"], s["card"], s["side"], s["mode"], s["size"]): s for s in sides}


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, dict[str, Any]]:
    """The same sides in the preview page, each card as wide as the reviewer's web view."""
    from playwright.sync_api import sync_playwright

    page_file = tmp_path_factory.mktemp("preview") / "preview.html"
    page_file.write_text(preview_html([DECK]), encoding="utf-8")
    found: dict[Key, dict[str, Any]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for size, width in WIDTHS.items():
            # main's padding (2 x 16 px) and the host's border (2 x 1 px) around each card
            page = browser.new_page(viewport={"width": width + 34, "height": 900})
            for mode in ("light", "night"):
                page.goto(f"{page_file.as_uri()}#{mode}")
                page.reload()
                page.add_style_tag(content=".sides { grid-template-columns: 1fr; }")
                for key, seen in page.evaluate(PREVIEW_PROBE):
                    question_id, card, side = key.split("/")
                    found[(question_id, card, side, mode, size)] = seen
            page.close()
        browser.close()
    return found


PREVIEW_PROBE = """() => [...document.querySelectorAll('.card-host')].map(host => {
  const parts = """ + PARTS + """;
  const card = host.shadowRoot.querySelector('.card');
  const qa = host.shadowRoot.getElementById('qa');
  const style = getComputedStyle(card);
  return [host.dataset.card, {text: qa.innerText, height: qa.getBoundingClientRect().height,
          width: card.getBoundingClientRect().width, color: style.color,
          background: style.backgroundColor, parts: parts(host.shadowRoot, qa)}];
})"""


def expected_keys() -> set[Key]:
    return {(question.id, name, side, mode, size)
            for question in DECK.questions for name, _, _ in render_cards(question, deck=DECK)
            for side in ("front", "back") for mode in ("light", "night") for size in WIDTHS}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_reviewer_shows_every_side_of_every_card_kind(
    reviewer: dict[Key, dict[str, Any]],
) -> None:
    assert set(reviewer) == expected_keys()
    assert {card for _, card, _, _, _ in reviewer} == {
        "Ask", "Why ask", "Reframe", "Read the answer"}
    for key, seen in reviewer.items():
        assert seen["text"].strip(), key
        assert seen["webWidth"] == WIDTHS[key[4]], key


def test_the_reviewer_shows_the_text_the_backend_renders(
    reviewer: dict[Key, dict[str, Any]],
) -> None:
    # innerText follows CSS (upper-cased labels), so compare without case.
    for key, seen in reviewer.items():
        assert words(seen["text"]).casefold() == words(visible_text(seen["html"])).casefold(), key


def test_no_side_is_wider_than_a_phone(reviewer: dict[Key, dict[str, Any]]) -> None:
    for key, seen in reviewer.items():
        assert seen["scrollWidth"] <= seen["clientWidth"] == WIDTHS[key[4]], key


def test_night_mode_is_dark_and_light_mode_is_light(
    reviewer: dict[Key, dict[str, Any]],
) -> None:
    for key, seen in reviewer.items():
        if key[3] == "night":
            assert "nightMode" in seen["bodyClass"].split(), key
            assert seen["luminance"] < 60, key
        else:
            assert seen["luminance"] > 200, key


def test_the_preview_shows_each_side_as_the_reviewer_does(
    reviewer: dict[Key, dict[str, Any]], preview: dict[Key, dict[str, Any]],
) -> None:
    assert set(preview) == set(reviewer)
    for key, seen in reviewer.items():
        shown = preview[key]
        assert shown["text"] == seen["text"], key
        assert (shown["color"], shown["background"]) == (seen["color"], seen["background"]), key
        # Same fonts and rules: the same layout, to within a line's rounding.
        assert abs(shown["height"] - seen["height"]) <= 2, (key, shown["height"], seen["height"])
        assert looks(shown) == looks(seen), key


def looks(seen: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(p["part"], p["color"], p["background"], p["bar"]) for p in seen["parts"]]


def part(seen: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [p for p in seen["parts"] if p["part"] == name]
    return found


def fronts(reviewer: dict[Key, dict[str, Any]], card: str) -> dict[Key, dict[str, Any]]:
    return {key: seen for key, seen in reviewer.items() if key[1] == card and key[2] == "front"}


def test_each_kind_is_recognisable_by_its_colour_at_a_glance(
    reviewer: dict[Key, dict[str, Any]],
) -> None:
    """Not only the label's words: a coloured label and a bar of the same colour beside what
    the front shows, a different colour for each kind, in light and night mode."""
    for mode in ("light", "night"):
        for size in WIDTHS:
            colours = {}
            for (_, card, side, seen_mode, seen_size), seen in reviewer.items():
                if (side, seen_mode, seen_size) == ("front", mode, size):
                    label, cue = part(seen, "kind"), part(seen, "cue")
                    assert cue["bar"] == label["background"] != seen["background"], card
                    assert label["color"] != label["background"]
                    colours.setdefault(card, set()).add(label["background"])
            assert all(len(found) == 1 for found in colours.values()), colours
            assert len({found.pop() for found in colours.values()}) == 4, (mode, size)


def test_the_why_ask_front_puts_the_question_before_the_setup(
    reviewer: dict[Key, dict[str, Any]],
) -> None:
    shown = fronts(reviewer, "Why ask")
    with_setup = [key for key in shown if any(p["part"] == "setup" for p in shown[key]["parts"])]
    assert {key[4] for key in with_setup} == set(WIDTHS)
    for key in with_setup:
        question, setup = part(shown[key], "question"), part(shown[key], "setup")
        # Only the kind's label and "You ask" above it: on a phone it is the first thing read.
        assert question["top"] < 100 and question["bottom"] <= setup["top"], key


def test_the_reframe_front_shows_the_weak_question_as_the_thing_to_react_to(
    reviewer: dict[Key, dict[str, Any]],
) -> None:
    shown = fronts(reviewer, "Reframe")
    assert shown
    for key, seen in shown.items():
        weak = part(seen, "weak")
        assert weak["color"] == seen["color"], key  # the text's own colour, not a label's grey
        assert weak["top"] < part(seen, "prompt")["top"], key


def test_the_read_front_says_what_to_recall(reviewer: dict[Key, dict[str, Any]]) -> None:
    shown = fronts(reviewer, "Read the answer")
    assert shown
    by_id = {question.id: question for question in DECK.questions}
    for key, seen in shown.items():
        question = by_id[key[0]]
        wanted = [name for name, items in (("recall-good", question.good_signs),
                                           ("recall-bad", question.red_flags),
                                           ("recall-next", question.follow_ups)) if items]
        recall = [p for p in seen["parts"] if p["part"].startswith("recall-")]
        assert [p["part"] for p in recall] == wanted, key
        assert len({p["color"] for p in recall}) == len(recall), key

