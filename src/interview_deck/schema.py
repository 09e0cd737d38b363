"""The JSON Schema of deck files, derived from ``parts``; shipped as ``decks/deck.schema.json``.

Regenerate the shipped file after changing a part (a test fails until you do)::

    python -m interview_deck.schema > decks/deck.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from .parts import CARD_KEYS, CARD_KINDS, DECK_KEYS, PARTS, QUESTION_KEYS, REQUIRED_KEYS, Part

# Control characters Anki cannot store (tab, line feed and carriage return are text).
_CONTROL = "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]"
_ID = {
    "description": PARTS["id"].help,
    "type": "string",
    "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
    "maxLength": 100,
}


def _tags(item_pattern: str) -> dict[str, Any]:
    return {
        "description": PARTS["tags"].help,
        "type": ["array", "null"],
        "uniqueItems": True,
        "items": {"type": "string", "pattern": item_pattern},
    }


def _part(part: Part) -> dict[str, Any]:
    return {"description": part.help,
            "$ref": "#/$defs/text" if part.kind == "text" else "#/$defs/texts"}


def _properties(tag_pattern: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key in QUESTION_KEYS:
        if key == "id":
            properties[key] = dict(_ID)
        elif key == "tags":
            properties[key] = _tags(tag_pattern)
        else:
            properties[key] = _part(PARTS[key])
    return properties


def deck_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) a deck file follows, as far as a schema can tell."""
    schema = _deck_schema()
    if tuple(schema["properties"]) != DECK_KEYS:  # pragma: no cover - a maintainer's slip
        raise AssertionError("the schema's deck keys differ from parts.DECK_KEYS")
    return schema


def _deck_schema() -> dict[str, Any]:
    cards_help = "; ".join(f"{kind.key}: {kind.help}" for kind in CARD_KINDS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "interview-deck deck file",
        "description": "Interview questions, with why and how to ask them, for interview-deck "
                       "(Anki decks).",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "deck": {
                "description": "The deck's name in Anki; '::' separates subdecks. Default: "
                               "'Interview Questions::My Questions'.",
                "type": "string",
                "pattern": "^(?!\\s*::)(?!.*::\\s*::)(?!.*::\\s*$)(?!.*\\s::)(?!.*::\\s)\\s*\\S",
            },
            "description": {
                "description": "Shown on the deck's overview screen in Anki. Plain text. A file "
                               "with only 'deck' and 'description' describes a deck whose "
                               "questions are in its subdecks.",
                "$ref": "#/$defs/plain",
            },
            "source": {
                "description": "Where the questions come from; shown small on the back of "
                               "every card of the deck. Plain text.",
                "$ref": "#/$defs/plain",
            },
            "cards": {
                "description": "The card kinds this deck's notes get (default: all four). "
                               + cards_help + ".",
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"enum": list(CARD_KEYS)},
            },
            "questions": {
                "description": "The questions, in order.",
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/question"},
            },
            "overrides": {
                "description": "Change questions defined in other files (such as the bundled "
                               "deck): name the id, give the keys to replace. The note in Anki "
                               "stays the same, with its history.",
                "type": "array",
                "items": {"$ref": "#/$defs/override"},
            },
            "hide": {
                "description": "Ids of questions from other files to leave out of your deck.",
                "type": ["array", "null"],
                "uniqueItems": True,
                "items": {"$ref": "#/$defs/question/properties/id"},
            },
        },
        "$defs": {
            "plain": {"type": "string", "not": {"pattern": _CONTROL}},
            "text": {"type": "string", "pattern": "\\S", "not": {"pattern": _CONTROL}},
            "texts": {"type": ["array", "null"], "items": {"$ref": "#/$defs/text"}},
            "question": {
                "type": "object",
                "additionalProperties": False,
                "required": list(REQUIRED_KEYS),
                "properties": _properties("^(?!::)(?!.*::$)(?!.*::::)\\S+$"),
            },
            "override": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id"],
                "minProperties": 2,
                "properties": _properties("^\\S+$"),
            },
        },
        "anyOf": [{"required": ["questions"]}, {"required": ["overrides"]},
                  {"required": ["hide"]}, {"required": ["description"]}],
    }


def schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(deck_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    print(schema_text(), end="")
