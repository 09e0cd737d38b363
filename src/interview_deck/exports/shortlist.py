"""A short list for one conversation: a few questions spread across topics, always the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model import Deck, Question
from ..sources.rules import tag_key

TOPIC_PREFIX = "topic::"
UNTAGGED = "other"


def topic_of(question: Question) -> str:
    """The question's topic: its first ``topic::`` tag, else its first tag, else "other"."""
    for tag in question.tags:
        if tag_key(tag).startswith(TOPIC_PREFIX):
            return tag
    return question.tags[0] if question.tags else UNTAGGED


def shortlist(decks: Sequence[Deck], limit: int | None) -> tuple[Deck, ...]:
    """At most ``limit`` questions from ``decks``, one topic after another, in deck order.

    The decks' questions are taken in turn (each deck's first, then each deck's second, ...,
    since a deck lists its strongest questions first); then one question per topic, topics in
    the order they come up, round after round until ``limit`` are chosen. The decks keep their
    order and their questions' order; decks left empty are dropped. ``None`` keeps everything.
    """
    if limit is None:
        return tuple(decks)
    interleaved = sorted(
        ((position, index, question) for index, deck in enumerate(decks)
         for position, question in enumerate(deck.questions)),
        key=lambda item: (item[0], item[1]),
    )
    by_topic: dict[str, list[tuple[int, int]]] = {}
    for position, index, question in interleaved:
        by_topic.setdefault(tag_key(topic_of(question)), []).append((index, position))
    chosen: set[tuple[int, int]] = set()
    queues = list(by_topic.values())
    depth = 0
    while len(chosen) < limit and any(depth < len(queue) for queue in queues):
        for queue in queues:
            if depth < len(queue) and len(chosen) < limit:
                chosen.add(queue[depth])
        depth += 1
    kept = (replace(deck, questions=tuple(q for position, q in enumerate(deck.questions)
                                          if (index, position) in chosen))
            for index, deck in enumerate(decks))
    return tuple(deck for deck in kept if deck.questions)
