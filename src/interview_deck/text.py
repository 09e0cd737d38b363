"""Plain text to the HTML that Anki stores in a field."""

from __future__ import annotations

_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        # Anki turns [sound:...], [latex] and [$]...[/$] in fields into media and LaTeX.
        "[": "&#91;",
    }
)


def to_html(text: str) -> str:
    """Escape ``text`` so Anki shows it exactly as written, line breaks included."""
    lines = text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(line.translate(_ESCAPES) for line in lines)


def to_html_list(items: tuple[str, ...]) -> str:
    """An HTML list of escaped items, or the empty string (so templates hide the section)."""
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{to_html(item)}</li>" for item in items) + "</ul>"
