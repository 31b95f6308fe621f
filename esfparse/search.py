"""Swedish full-text search: what a user types, as an FTS5 query that finds inflected forms.

The index stores words as written (FTS5 `unicode61`, å/ä/ö kept); the query does the work. Each word
is cut to its Snowball Swedish stem and matched as a prefix, so a stem finds its inflections and
compounds (`ungdom` finds `ungdomar`, `ungdomarna`, `ungdomsarbetslöshet`), and so does any inflected
form (`ungdomarna` -> `ungdom*`); a stem shorter than three letters (`i`, `nu`) is matched whole, as a
prefix that short would match much of the index. Words are ANDed; every word is quoted, so FTS5 operators and
punctuation typed by a user are plain text. Ranking is FTS5's bm25 (see `store.FTS_RANK`).

The SQL function `esf_fts_query(text)` (registered by `esfparse serve` for the canned search query)
is `fts_query`.

>>> fts_query("ungdomar")
'"ungdom"*'
>>> fts_query("Arbetsmarknaden i Jämtland")
'"arbetsmarknad"* "i" "jämtland"*'
>>> fts_query('"odd OR NOT') == '"odd"* "or" "not"*'
True
>>> fts_query(" ?! ")  # no word: an empty phrase, which matches nothing
'""'
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

SQL_FUNCTION = "esf_fts_query"
MIN_PREFIX = 3
_WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("swedish")


def stem(word: str) -> str:
    """The Snowball Swedish stem of one word, lower-cased; numbers as they are."""
    word = word.casefold()
    return word if word.isdigit() else _stemmer().stemWord(word) or word


def fts_query(text: str | None) -> str:
    """An FTS5 MATCH expression: every word of `text` as a quoted stem (a prefix when 3+ letters)."""
    words = _WORD_RE.findall(text or "")
    stems = [stem(w) for w in words]
    return " ".join(f'"{s}"*' if len(s) >= MIN_PREFIX else f'"{s}"' for s in stems) or '""'
