"""One self-contained HTML page showing every card, front and back, as Anki renders it."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..apkg.cards import CardTemplates, render_cards
from ..model import Deck
from ..parts import CARD_KINDS
from ..paths import template_text


def preview_html(decks: Sequence[Deck], templates: CardTemplates | None = None) -> str:
    """The preview page: the cards' own templates and CSS, each card isolated in a shadow root,
    a light/night switch, no network and no external assets."""
    style = templates if templates is not None else CardTemplates.load()
    page_css = template_text("preview.css")
    script = template_text("preview.js")
    reviewer_css = template_text("reviewer.css")
    ordinals = {kind.name: number for number, kind in enumerate(CARD_KINDS, start=1)}
    rendered = [(deck, [(question, render_cards(question, deck, templates=style))
                        for question in deck.questions]) for deck in decks]
    notes = sum(len(deck.questions) for deck in decks)
    cards = sum(len(sides) for _, questions in rendered for _, sides in questions)
    # Each card sits in what Anki's reviewer puts around it (reviewer.css), then its own CSS.
    # Style text is raw: only a closing tag could end it early.
    card_css = re.sub(r"</(style|template)", r"<\\/\1", reviewer_css + style.css, flags=re.I)
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>interview-deck preview</title>",
        f"<style>{page_css}</style>",
        "</head>",
        "<body>",
        '<header class="page-header">',
        "<h1>Card preview</h1>",
        f'<p class="summary">{len(decks)} deck{"s" if len(decks) != 1 else ""}, '
        f'{notes} note{"s" if notes != 1 else ""}, {cards} card{"s" if cards != 1 else ""}, '
        "as Anki shows them.</p>",
        '<div class="modes" role="group" aria-label="Card colours">',
        '<button type="button" data-mode="light" aria-pressed="true">Light</button>',
        '<button type="button" data-mode="night" aria-pressed="false">Night</button>',
        "</div>",
        "</header>",
        "<main>",
    ]
    for deck, questions in rendered:
        if not questions:
            continue  # a deck that only has a description, such as a parent deck
        parts.append('<section class="deck">')
        parts.append(f"<h2>{html.escape(deck.name)}</h2>")
        for question, sides in questions:
            parts.append(f'<article class="note" id="note-{html.escape(question.id)}">')
            parts.append(f'<h3 class="note-id">{html.escape(question.id)}</h3>')
            parts.append('<div class="sides">')
            for name, front, back in sides:
                for side, markup in (("front", front), ("back", back)):
                    label = f"{name} · {side}"
                    key = f"{question.id}/{name}/{side}"
                    parts.append(
                        f'<figure class="side"><figcaption>{html.escape(label)}</figcaption>'
                        f'<div class="card-host" data-card="{html.escape(key)}">'
                        f'<template shadowrootmode="open"><style>{card_css}</style>'
                        f'<div class="card card{ordinals[name]}"><div id="qa" dir="auto">'
                        f'{markup}</div></div></template></div></figure>'
                    )
            parts.append("</div>")
            parts.append("</article>")
        parts.append("</section>")
    parts += ["</main>", f"<script>{script}</script>", "</body>", "</html>", ""]
    return "\n".join(parts)
