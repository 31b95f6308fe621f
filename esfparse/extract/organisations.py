"""Organisations named in prose: partners enumerated after collaboration cues.

Pages without a Samarbetspartners list often name their partners in one
sentence: ``samverkan mellan projektägaren, Stockholms stad och
Arbetsförmedlingen``, ``I detta projekt med ABB, Bombardier ... och Systemair
genomförs``. The enumeration after the cue is split on commas and
``och``/``samt``; each item keeps its leading run of capitalised words; lower-case
items (``kommuner``, ``projektägaren``) and municipalities are skipped.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

# Cue phrases that open an enumeration of collaborating organisations.
_CUE_RE = re.compile(
    r"""
    \b(?:samverkan|samarbete|samverkar|samarbetar|partnerskap)\s+(?:mellan|med)\s+  # collaboration between/with
    | \b[Ii]\s+(?:detta\s+)?projekt(?:et)?\s+med\s+                                   # i detta projekt med
    | \b(?:tillsammans\s+med|in\s+cooperation\s+with|in\s+partnership\s+with)\s+     # together with
    """,
    re.VERBOSE,
)
_SENTENCE_END_RE = re.compile(r"[.;:!?](?:\s|$)|\n")
_SPLIT_RE = re.compile(r",\s*|\s+(?:och|samt|and)\s+")
_CONJ_RE = re.compile(r"\s+(?:och|samt|and)\s+")
# A name: capitalised words, allowing `&`, `AB`, digits and short lower-case joiners inside.
_NAME_RE = re.compile(
    r"""
    (?:[A-ZÅÄÖ0-9][\w&'’.-]*)                         # first capitalised word
    (?:\s+(?:(?:för|i|och|&)\s+)?[A-ZÅÄÖ0-9][\w&'’.-]*)*  # further capitalised words
    """,
    re.VERBOSE,
)


def find_partner_mentions(
    text: str, base: int = 0, is_place: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, int, int]]:
    """Organisation names enumerated after a collaboration cue, with absolute spans.

    >>> s = "Projektet ska bidra till samverkan mellan projektägaren, Stockholms stad och Arbetsförmedlingen kring målgruppen."
    >>> [n for n, _, _ in find_partner_mentions(s, is_place=lambda n: n.startswith("Stockholm"))]
    ['Arbetsförmedlingen']
    >>> s = "I detta projekt med ABB, Northvolt och Epiroc genomförs insatser."
    >>> [n for n, _, _ in find_partner_mentions(s)]
    ['ABB', 'Northvolt', 'Epiroc']
    """
    for cue in _CUE_RE.finditer(text):
        start = cue.end()
        end_m = _SENTENCE_END_RE.search(text, start)
        stop = end_m.start() if end_m else len(text)
        yield from _enumeration(text, start, stop, base, is_place)


def _enumeration(text: str, start: int, stop: int, base: int,
                 is_place: Callable[[str], bool] | None) -> Iterator[tuple[str, int, int]]:
    segment = text[start:stop]
    conj = _CONJ_RE.search(segment)
    # the enumeration ends with the item after its first `och`/`samt`
    pos = 0
    for sep in list(_SPLIT_RE.finditer(segment)) + [None]:
        item_end = sep.start() if sep else len(segment)
        item = segment[pos:item_end]
        m = _NAME_RE.match(item)
        if m:
            name = m.group(0).rstrip(".")
            if len(name) > 1 and not (is_place and is_place(name)):
                yield name, base + start + pos, base + start + pos + len(name)
        if sep is None or (conj and sep.start() > conj.start()):
            break
        if m is None and conj is None:
            break
        pos = sep.end()
