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
from functools import lru_cache
from typing import Any

__all__ = ["GatedPattern", "factor", "fold", "holds", "literal_condition", "trie", "trie_regex"]

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

_ZERO_WIDTH = {_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT}
_REPEATS = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, getattr(_sre_c, "POSSESSIVE_REPEAT", None)}


Condition = str | tuple[str, list["Condition"]] | None  # a literal, ("and"|"or", parts), always


def literal_condition(pattern: str, flags: int = 0) -> Condition:
    """What a text must contain for `pattern` to match in it, from the regex's literal characters.

    A string must occur in the `fold`ed text, ("and", parts) all of them, ("or", parts) one; None
    when nothing is known. Every literal run of a sequence is required (words joined by `\\s+` as
    one run), one branch of an alternation.

    >>> literal_condition(r"\\bslutrapport\\w*|rapport\\s+från|Nådde\\s+vi", re.I)
    ('or', ['slutrapport', 'rapport från', 'nådde vi'])
    >>> literal_condition(r"\\d+\\s*\\w+") is None
    True
    """
    return _condition(_sre_parse.parse(pattern, flags).data)


def _condition(items: Iterable) -> Condition:
    parts: list[Condition] = []
    run: list[str] = []

    def space() -> None:  # any whitespace is one space in the folded text (see `fold`)
        if run and run[-1] != " ":
            run.append(" ")

    for op, av in items:
        if op is _sre_c.LITERAL:
            space() if chr(av).isspace() else run.append(chr(av).casefold())
            continue
        if op in _ZERO_WIDTH:  # `\\b`, `^`, lookarounds: the characters around stay adjacent
            continue
        if op in _REPEATS and av[0] >= 1 and _is_space(av[2].data):
            space()
            continue
        if run:
            parts.append("".join(run))
            run = []
        if op is _sre_c.SUBPATTERN:
            parts.append(_condition(av[-1].data))
        elif op is _sre_c.BRANCH:
            branches = [_condition(b.data) for b in av[1]]
            parts.append(None if None in branches else ("or", branches))
        elif op in _REPEATS and av[0] >= 1:
            parts.append(_condition(av[2].data))
    if run:
        parts.append("".join(run))
    parts = [c for c in parts if c is not None and c != " "]
    return None if not parts else parts[0] if len(parts) == 1 else ("and", parts)


def _is_space(items: Any) -> bool:
    """A repeated item that matches whitespace only (`\\s`)."""
    return list(items) == [(_sre_c.IN, [(_sre_c.CATEGORY, _sre_c.CATEGORY_SPACE)])]


@lru_cache(maxsize=8)  # the genre, ESF-cue and labour-market gates fold the same text
def fold(text: str) -> str:
    """The text as gates read it: case-folded, each run of whitespace one space, a space at each end."""
    return " " + " ".join(text.casefold().split()) + " "


def holds(cond: Condition, folded: str) -> bool:
    """Whether the case-folded text meets the condition (so that the regex may match in it)."""
    if cond is None:
        return True
    if isinstance(cond, str):
        return cond in folded
    how, parts = cond
    return (all if how == "and" else any)(holds(c, folded) for c in parts)


class GatedPattern:
    """A compiled regex with a literal gate: `possible(folded)` is False when it cannot match.

    `folded` is the text's `fold`: when it lacks what `literal_condition` requires, the
    regex is not run at all. The gate is a necessary condition, so results never change.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.condition = literal_condition(pattern, flags)

    def possible(self, folded: str) -> bool:
        return holds(self.condition, folded)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(folded) else None


_QUANTIFIERS = frozenset("*+?{")


def factor(alternatives: Iterable[str], fold: bool = True) -> str:
    """Regex alternatives (`berättar`, `berättade`, `panel\\w*` ...) as one group factored by their
    leading letters, so that most positions fail on one character; the order of alternatives that
    share a prefix is kept, so the same text matches. `fold` groups letters case-insensitively (for
    patterns compiled with IGNORECASE).

    >>> factor(["berättar", "berättade", r"panel\\w*", r"bild\\s*\\d+"])
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
