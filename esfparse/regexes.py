"""Regexes that stay fast over big vocabularies: prefix-factored alternations and literal gates.

A plain alternation (`a|b|c` of hundreds of phrases) makes `re` try every branch at every position
of the text; factored by common prefixes (a trie) most positions fail on one character. Greedy
optional tails keep the longest phrase first, as a longest-first alternation does.

>>> import re
>>> p = trie_regex(["i samverkan med", "i samarbete med", "samt"])
>>> p
'(?:(?:i\\\\s+sam(?:verkan\\\\s+med|arbete\\\\s+med)|samt))'
>>> re.search(p, "drivs i samarbete  med X").group(0)
'i samarbete  med'
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["GatedPattern", "factor", "required_literals", "trie", "trie_regex"]

Trie = dict[str, "Trie"]


def trie(keys: Iterable[str]) -> Trie:
    """A prefix tree of the keys, by character; an empty-string child marks the end of a key."""
    root: Trie = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def trie_regex(
    phrases: Iterable[str],
    *,
    space: str = r"\s+",
    char: Callable[[str, bool], str] | None = None,
) -> str:
    """The phrases as one non-capturing regex; a space in a phrase matches `space`.

    `char(ch, first)` writes one character (default: escaped as is; `first` is True at the phrase's
    first character, where a caller may allow a capital without making the whole scan IGNORECASE).
    """
    write = char or (lambda ch, first: re.escape(ch))

    def node_re(node: Trie, first: bool) -> str:
        branches = [
            (space if ch == " " else write(ch, first)) + node_re(child, False)
            for ch, child in node.items()
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{node_re(trie(phrases), True)})"


# ---------------------------------------------------------------- literal gates

# the standard library's regex parser: `sre_parse` until 3.10, `re._parser` since 3.11
_NEW_RE = sys.version_info >= (3, 11)
_sre_parse: Any = importlib.import_module("re._parser" if _NEW_RE else "sre_parse")
_sre_c: Any = importlib.import_module("re._constants" if _NEW_RE else "sre_constants")

_REPEATS = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None)}


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Case-folded strings one of which every match of `pattern` contains (None when none is known).

    >>> sorted(required_literals(r"\\bslutrapport\\w*|rapport\\s+från|utvärderare", re.I))
    ['rapport', 'utvärderare']
    >>> required_literals(r"\\d+\\s*\\w+") is None
    True
    """
    found = _required(_sre_parse.parse(pattern, flags).data)
    if not found:
        return None
    return frozenset(n for n in found if not any(o != n and o in n for o in found))


def _required(items: Iterable) -> set[str] | None:
    best: set[str] | None = None
    run: list[str] = []

    def consider(cand: set[str] | None) -> None:
        nonlocal best
        if cand and all(cand) and (best is None or min(map(len, cand)) > min(map(len, best))):
            best = cand

    for op, av in items:
        if op is _sre_c.LITERAL:
            run.append(chr(av))
            continue
        consider({"".join(run).casefold()} if run else None)
        run = []
        if op is _sre_c.SUBPATTERN:
            consider(_required(av[-1].data))
        elif op is _sre_c.BRANCH:
            branches = [_required(b.data) for b in av[1]]
            if all(branches):
                consider(set().union(*branches))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            consider(_required(av[2].data))
    consider({"".join(run).casefold()} if run else None)
    return best


class GatedPattern:
    """A compiled regex with a literal gate: `possible(folded)` is False when it cannot match.

    `folded` is the text's `str.casefold()`: when none of the pattern's required literals occurs in
    it, the regex is not run at all. The gate is a necessary condition, so results never change.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.needles = required_literals(pattern, flags)

    def possible(self, folded: str) -> bool:
        return self.needles is None or any(n in folded for n in self.needles)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(folded) else None


_QUANTIFIERS = frozenset("*+?{")


def factor(alternatives: Iterable[str], fold: bool = True) -> str:
    """Regex alternatives (`berättar`, `berättade`, `panel\\w*` ...) as one group factored by their
    leading letters, so that most positions fail on one character; the order of alternatives that
    share a prefix is kept, so the same text matches. `fold` groups letters case-insensitively (for
    patterns compiled with IGNORECASE).

    >>> factor(["berättar", "berättade", "panel\\w*", "bild\\s*\\d+"])
    '(?:b(?:erätta(?:r|de)|ild\\\\s*\\\\d+)|panel\\\\w*)'
    """
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        head = alt[:1]
        if head.isalpha() and (len(alt) == 1 or alt[1] not in _QUANTIFIERS):
            groups.setdefault(head.casefold() if fold else head, []).append(alt)
        else:
            groups.setdefault("\0" + alt, []).append(alt)  # a leaf of its own, not factored
    parts = []
    for key, alts in groups.items():
        if key.startswith("\0") or len(alts) == 1:
            parts.extend(alts)
        else:
            rest = factor([a[1:] for a in alts], fold)
            parts.append(alts[0][0] + rest)
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
