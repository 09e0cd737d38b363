"""Readable question ids made from a question's words (for `add`, and for suggestions)."""

from __future__ import annotations

import re
import unicodedata

MAX_ID_LENGTH = 100
"""The longest id the rules accept."""


def slugify(text: str, max_length: int = 40) -> str:
    """A readable id from ``text`` (accents dropped: é → e): all its words when they fit in
    ``max_length``, else its key words (small words such as "the" or "do" left out) as far as
    they fit, always ending on a whole word."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower())
                    if not unicodedata.combining(ch))
    plain = re.sub(r"(?<=[a-z0-9])['’](?=[a-z])", "", plain)  # team's → teams
    words = re.findall(r"[a-z0-9]+", plain)
    if len("-".join(words)) > max_length:
        # A question word leads the id ("who-decides-..."); elsewhere it would dangle.
        lead = words[:1] if words[0] in _QUESTION_WORDS else []
        words = lead + [word for word in words[len(lead):]
                        if word not in _SMALL_WORDS and word not in _QUESTION_WORDS] or words
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > max_length:
            break
        kept.append(word)
    return "-".join(kept) or (words[0][:MAX_ID_LENGTH] if words else "")


# Words an id can do without when the whole question is too long for one.
_SMALL_WORDS = frozenset(re.findall(r"\w+", """
    a an the and or but of to in on at for with by from into about as is are was were be been
    being am do does did done have has had can could would should will shall may might must
    you your yours i me my we our us it its this that these those there here they them their
    he she his her so if than then just very really"""))
_QUESTION_WORDS = frozenset(("how", "what", "when", "where", "which", "who", "whom", "whose",
                             "why"))
