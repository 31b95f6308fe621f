"""Organisations named in prose as partners: the partner role of the relation layer.

Kept for callers that want only the partner names of a text: ``find_partner_mentions`` reads the
enumerations after collaboration cues with ``relations.find_relations`` (cue phrases, coordination,
generic heads and the rejections are described there) and keeps those in the partner role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .relations import find_relations


def find_partner_mentions(
    text: str, base: int = 0, is_place: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, int, int]]:
    """Organisation names enumerated after a collaboration cue, with absolute spans.

    >>> s = ("Projektet ska bidra till samverkan mellan projektägaren, Stockholms stad "
    ...      "och Arbetsförmedlingen kring målgruppen.")
    >>> [n for n, _, _ in find_partner_mentions(s, is_place=lambda n: n.startswith("Stockholm"))]
    ['Arbetsförmedlingen']
    >>> s = "I detta projekt med ABB, Northvolt och Epiroc genomförs insatser."
    >>> [n for n, _, _ in find_partner_mentions(s)]
    ['ABB', 'Northvolt', 'Epiroc']
    """
    for r in find_relations(text, is_place=is_place):
        if r.role == "partner":
            yield r.name, base + r.start, base + r.end
