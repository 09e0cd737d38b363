"""Plain text to the HTML that Anki stores in a field."""

from __future__ import annotations

import html


def to_html(text: str) -> str:
    """Escape ``text`` so Anki shows it exactly as written, line breaks included.

    Only ``&``, ``<`` and ``>`` are escaped: fields are text between tags, where quotes are
    plain characters, and Anki's Browser searches the stored text (``interviewer's`` must be
    found as typed)."""
    escaped = html.escape(text.strip(), quote=False)
    if "[" in escaped:
        # Anki turns [sound:...], [latex] and [$]...[/$] in fields into media and LaTeX.
        escaped = escaped.replace("[", "&#91;")
    if "\r" in escaped:
        escaped = escaped.replace("\r\n", "\n").replace("\r", "\n")
    return escaped.replace("\n", "<br>")


def to_html_list(items: tuple[str, ...]) -> str:
    """An HTML list of escaped items, or the empty string (so templates hide the section)."""
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{to_html(item)}</li>" for item in items) + "</ul>"
