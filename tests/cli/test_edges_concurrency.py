"""Two processes at once lose nothing: parallel adds to one file, builds sharing a ledger."""

from __future__ import annotations

import json
from pathlib import Path

from _processes import deck_yaml, finish, start

from interview_deck.sources.loading import load_decks


def test_twenty_parallel_adds_all_land(tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    processes = [start("add", "--file", file, "--question", f"What is topic {n}?",
                       "--purpose", f"topic {n}", "--id", f"topic-{n}") for n in range(20)]
    outcomes = [finish(p) for p in processes]
    assert all(code == 0 for code, _, _ in outcomes), [err for _, _, err in outcomes]
    assert sum("Added" in err for _, _, err in outcomes) == 20
    ids = {q.id for deck in load_decks([file]) for q in deck.questions}
    assert ids == {f"topic-{n}" for n in range(20)}
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"], "no lock or temp file left"


def test_parallel_adds_of_one_question_get_their_own_ids(tmp_path: Path) -> None:
    """Ids made from the question: the one chosen before the lock may be taken meanwhile."""
    file = tmp_path / "mine.yaml"
    processes = [start("add", "--file", file, "--question", "Who decides?",
                       "--purpose", "how decisions are made") for _ in range(6)]
    outcomes = [finish(p) for p in processes]
    assert [code for code, _, _ in outcomes] == [0] * 6, outcomes
    ids = sorted(q.id for deck in load_decks([file]) for q in deck.questions)
    assert ids == ["who-decides", *(f"who-decides-{n}" for n in range(2, 7))]


def test_concurrent_builds_sharing_a_ledger_keep_every_entry(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.json"
    count = 3000
    for name in ("one", "two"):
        (tmp_path / f"{name}.yaml").write_text(
            deck_yaml([f"{name}-{n}" for n in range(count)], deck=name.title()),
            encoding="utf-8")
    earlier: dict[str, dict[str, object]] = {}
    for _ in range(2):
        processes = [start("build", "--no-bundled", tmp_path / f"{name}.yaml",
                           "-o", tmp_path / f"{name}.apkg", "--revisions", ledger, "-q")
                     for name in ("one", "two")]
        outcomes = [finish(p) for p in processes]
        assert [code for code, _, _ in outcomes] == [0, 0], outcomes
        recorded = json.loads(ledger.read_text(encoding="utf-8"))["revisions"]
        keys = {f"note/{name}-{n}" for name in ("one", "two") for n in range(count)}
        assert keys <= set(recorded)
        # The second round changed every question: every entry must be the new one.
        assert not [key for key in keys if earlier.get(key) == recorded[key]]
        earlier = recorded
        for name in ("one", "two"):  # change every question, so both record again
            (tmp_path / f"{name}.yaml").write_text(
                deck_yaml([f"{name}-{n}" for n in range(count)], deck=name.title(),
                          word=" again"), encoding="utf-8")
