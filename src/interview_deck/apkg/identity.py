"""Stable identities: Anki GUIDs and ids derived from fixed keys, never from content or chance."""

from __future__ import annotations

import hashlib

# Anki's own base91 alphabet for GUIDs (the same that Anki and genanki use).
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
_NAMESPACE = "interview-deck"


def note_guid(question_id: str) -> str:
    """The Anki GUID of the note for ``question_id``; the same id always gives the same GUID."""
    digest = hashlib.sha256(f"{_NAMESPACE}__{question_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    table, base = _BASE91, len(_BASE91)
    while number:
        number, rest = divmod(number, base)
        chars.append(table[rest])
    chars.reverse()
    return "".join(chars)


def fixed_id(key: str) -> int:
    """A positive id for a deck or note type, derived from a stable key.

    Kept below 2**53 so that JavaScript-based Anki clients read it exactly, and far above the
    default deck's id (1).
    """
    digest = hashlib.sha256(f"{_NAMESPACE}/{key}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:8], "big") % ((1 << 53) - (1 << 40))


def deck_id(deck_name: str) -> int:
    """The fixed Anki deck id for a deck name."""
    return fixed_id(f"deck/{deck_name}")
