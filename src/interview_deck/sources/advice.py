"""Advice about decks that are legal but may surprise: what `check` and `build` warn about."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Deck
from ..parts import READ_MAX_ITEMS, READ_MAX_PER_PART, SIGNAL_KEYS

_HARD_TO_SEARCH = re.compile(r"[*\"]")


def deck_warnings(decks: Sequence[Deck]) -> list[str]:
    """Legal but surprising things in ``decks``: tags with characters that Anki's search reads
    as syntax (``tag:a*b`` finds every tag from a to b; a lone ``"`` is a search error). Anki
    stores them unchanged. (``_`` is a one-character wildcard too, but common in tags and
    harmless: ``tag:on_call`` finds it, and also ``on-call``.)"""
    warnings = []
    seen: set[str] = set()
    for deck in decks:
        for question in deck.questions:
            for tag in question.tags:
                if _HARD_TO_SEARCH.search(tag) and tag not in seen:
                    seen.add(tag)
                    where = f"{deck.file}: " if deck.file else ""
                    warnings.append(f"{where}tag '{tag}' has a '*' or '\"', which Anki's "
                                    "search reads as syntax (typing tag:... finds other tags "
                                    "or fails); rename it, or click it in Anki's sidebar")
    return warnings


def reading_warnings(decks: Sequence[Deck]) -> list[str]:
    """Questions whose "Read the answer" back scrolls on a phone (over READ_MAX_ITEMS items,
    or READ_MAX_PER_PART in a part): legal, so ``check`` warns and ``build`` says nothing."""
    warnings = []
    for deck in decks:
        for question in deck.questions:
            sizes = {key: len(getattr(question, key)) for key in SIGNAL_KEYS}
            if sum(sizes.values()) > READ_MAX_ITEMS or max(sizes.values()) > READ_MAX_PER_PART:
                where = f"{deck.file}: " if deck.file else ""
                counts = ", ".join(f"{size} {key}" for key, size in sizes.items())
                warnings.append(f"{where}question '{question.id}' has {counts}: its Read the "
                                f"answer card scrolls on a phone; keep the strongest "
                                f"{READ_MAX_PER_PART} of a part and {READ_MAX_ITEMS} in all")
    return warnings
