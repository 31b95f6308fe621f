"""Genre detection from the text itself (never from file names)."""

from __future__ import annotations

import re

from .document import Document
from .parsers.header import ID_TITLE_RE, Header, read_header

_BULLET_RE = re.compile(r"^\s*(?:[-•❖*–▪●◦]|\(cid:\d+\)|\d+\.)\s+\S", re.MULTILINE)
# Cues of talks, slide decks and conference write-ups.
_TALK_RE = re.compile(
    r"""\b(?:
        berättar|berättade|presentation|presenterade|föreläsning|föreläste|föredrag   # talking
      | (?:sa|säger|menar|betonade|lyfte\s+fram)\s+[A-ZÅÄÖ]                           # speech attribution
      | konferens\w*|seminari\w*|webbinari\w*|nätverksträff\w*|workshop\w*|lärkonferens  # events
      | talare|moderator|medverkande|panel\w*|inledde|bild\s*\d+                     # programme roles
      | Vill\s+du\s+veta\s+mer|Tack!?$|Frågor\?)""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_QUOTE_LINE_RE = re.compile(r"^[–—-] [A-ZÅÄÖ]", re.MULTILINE)  # a quoted speaker: `– Vi började med ...`


def classify(doc: Document, header: Header | None = None) -> str:
    """`project_page`, `presentation` or `unknown`.

    A project page has a header block of labels, or opens with an ESF case
    number and title. A presentation has slide or talk cues: bullets, many short
    lines, speaker/talk vocabulary.
    """
    header = header if header is not None else read_header(doc)
    if header is not None:
        return "project_page"
    head = doc.text[:3000]
    if ID_TITLE_RE.search(head[:600]):
        return "project_page"
    return "presentation" if _presentation_score(doc) >= 3 else "unknown"


def _presentation_score(doc: Document) -> int:
    text = doc.text
    if len(text.strip()) < 200:
        return 0
    lines = [ln for ln in text.split("\n") if ln.strip()]
    short = sum(1 for ln in lines if len(ln) < 80)
    score = 0
    score += 2 if len(_BULLET_RE.findall(text)) >= 3 else 0
    score += 1 if lines and short / len(lines) > 0.5 else 0
    talk = len(_TALK_RE.findall(text[:20000])) + len(_QUOTE_LINE_RE.findall(text[:20000]))
    score += min(talk, 3)
    score += 1 if "\t" in text else 0
    return score
