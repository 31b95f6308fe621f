"""Page structure shared by the parsers: site noise, title line, sections, end lists, truncation."""

from __future__ import annotations

import re
from functools import lru_cache

from ..bullets import CID, SIGN
from ..document import Document, Line
from ..layout import is_furniture
from ..models import Evidence, Goal, Section
from .header import Header, vocabulary

_BULLET_RE = re.compile(rf"^\s*(?:{SIGN}|{CID})\s*")
_TERMINAL_RE = re.compile(r"[.!?:;)\]\"”»…]\s*$")
_LIST_ITEM_RE = re.compile(rf"^\s*(?:{SIGN}|{CID})\s+\S")
_MAX_HEADING = 80  # longer lines are never headings ...
_MAX_NOISE = 300  # ... nor site chrome: skip the lookups for prose lines
_CONTACT_RE = re.compile(r"\S+@\S+|\bwww\.|https?://|\.(?:se|nu|eu|com|org)\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _noise() -> tuple[frozenset[str], re.Pattern[str]]:
    vocab = vocabulary()
    exact = frozenset(s.casefold() for s in vocab["site_noise"])
    pattern = re.compile("|".join(f"(?:{p})" for p in vocab["noise_patterns"]), re.IGNORECASE)
    return exact, pattern


def is_noise(text: str) -> bool:
    """True for site chrome: cookie notices, banners, print and navigation lines."""
    # short lines (labels, headings, menus, cookie buttons) recur from page to page of a site
    return _short_noise(text) if len(text) <= _MAX_HEADING else _is_noise(text)


@lru_cache(maxsize=8192)
def _short_noise(text: str) -> bool:
    return _is_noise(text)


def _is_noise(text: str) -> bool:
    stripped = " ".join(text.split())
    if not stripped:
        return True
    exact, pattern = _noise()
    return stripped.casefold() in exact or bool(pattern.search(stripped))


@lru_cache(maxsize=1)
def _headings() -> tuple[dict[str, str], dict[str, str]]:
    sections = vocabulary()["sections"]
    prose = {h.casefold(): h for h in sections["prose"]}
    lists = {h.casefold(): key for h, key in sections["lists"].items() if not h.startswith("_")}
    return prose, lists


def is_heading(text: str) -> bool:
    """True for a section or end-list heading of the vocabulary (`Sammanfattning`, `Kommun`)."""
    prose, lists = _headings()
    key = " ".join(text.split()).casefold()
    return key in prose or key in lists


def title_line(doc: Document, header: Header | None) -> Line | None:
    """The title: the line a breadcrumb names, else the nearest real line above the header block,
    else the first short line below it; page furniture (navigation, cookie text) never."""
    from ..layout import chrome_lines, crumb_title_line

    lines = doc.lines()
    named = crumb_title_line(doc)
    if named is not None:
        return lines[named]
    chrome = chrome_lines(doc)
    if header is not None:
        for k in range(header.first_line - 1, -1, -1):
            if k not in chrome and not is_noise(lines[k].text):
                return lines[k]
        first = header.last_line + 1
    else:
        first = 0
    for k in range(first, min(len(lines), first + 40)):
        if k not in chrome and not is_noise(lines[k].text) and len(lines[k].text.strip()) <= 150:
            return lines[k]
    return None


def find_sections(
    doc: Document, start: int
) -> tuple[list[Section], dict[str, list[tuple[str, int, int]]]]:
    """Split the body from `start` into titled sections and end lists (items with spans)."""
    prose, lists = _headings()
    sections: list[Section] = []
    items: dict[str, list[tuple[str, int, int]]] = {}
    heading: str | None = "Beskrivning"  # text before any heading
    list_key: str | None = None
    body: list[Line] = []
    bulleted = False
    lines = doc.lines()
    first = max(0, doc.line_number(start) - 1) if start else 0
    for line in lines[first:]:
        if line.start < start:
            continue
        text = line.text
        key = " ".join(text.split()).casefold() if len(text) <= _MAX_HEADING else ""
        if key and (key in prose or key in lists):
            _close(doc, sections, heading, body)
            heading, body = line.text.strip(), []
            list_key = lists.get(key)
            if list_key:
                items.setdefault(list_key, [])
            continue
        if (
            list_key
            and items[list_key]
            and (
                is_furniture(text) or (bulleted and text.strip() and not _LIST_ITEM_RE.match(text))
            )
        ):
            list_key, heading, body = None, None, []  # the site's footer ends the page's last list
            continue
        if list_key and not items[list_key] and text.strip():
            bulleted = bool(_LIST_ITEM_RE.match(text))  # a bullet list ends at its first other line
        if list_key:
            _list_item(line, list_key, items)
        elif text.strip() and (len(text) > _MAX_NOISE or not is_noise(text)):
            body.append(line)
    _close(doc, sections, heading, body)
    return sections, items


def _close(doc: Document, sections: list[Section], heading: str | None, body: list[Line]) -> None:
    if heading is None or not body:
        return
    start, end = body[0].start, body[-1].end
    start += len(body[0].text) - len(body[0].text.lstrip())
    sections.append(
        Section(heading=heading, text=doc.text[start:end], evidence=doc.evidence(start, end))
    )


def _list_item(line: Line, key: str, items: dict[str, list[tuple[str, int, int]]]) -> None:
    text = line.text
    m = _BULLET_RE.match(text)
    offset = m.end() if m else len(text) - len(text.lstrip())
    value = text[offset:].strip()
    if not value or is_noise(value):
        return
    start = line.start + offset
    items[key].append((value, start, start + len(value)))


def is_truncated(doc: Document) -> bool:
    """True when the text stops mid-sentence: the last line is prose without a closing mark.

    >>> from esfparse.document import Document
    >>> is_truncated(Document("Rubrik\\n\\nProjektet ska arbeta uppsökande för att nå målgruppen och introduktionsu"))
    True
    >>> is_truncated(Document("Kommun\\n\\n • Bräcke\\n • Åre"))
    False
    """
    lines = [ln for ln in doc.text.rstrip().split("\n") if ln.strip()]
    if not lines:
        return False
    last = lines[-1].strip()
    if _TERMINAL_RE.search(last) or _LIST_ITEM_RE.match(lines[-1]) or _CONTACT_RE.search(last):
        return False
    words = last.split()
    if len(words) < 2:
        return False
    final = words[-1]
    if len(last) >= 80:
        return True
    return final[:1].islower() and final.isalpha()


def paged(doc: Document, goals: list[Goal]) -> list[Goal]:
    """Goals with the page of each span filled in (extractors see text only; PDFs have pages)."""
    if not doc.page_starts:
        return goals

    def at(ev: Evidence | None) -> Evidence | None:
        return None if ev is None else ev.model_copy(update={"page": doc.page_at(ev.start)})

    return [
        g.model_copy(
            update={
                "evidence": at(g.evidence),
                "value_evidence": at(g.value_evidence),
                "breakdowns": [
                    b.model_copy(update={"evidence": at(b.evidence)}) for b in g.breakdowns
                ],
            }
        )
        for g in goals
    ]
