"""Speed helpers for regexes must never change what matches: trie and factored alternations match
the same text as the plain alternation, and a literal gate never rules out a text the regex matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esfparse.classify import _TALK_CUES, _TALK_RE, _domain_words, genre_data
from esfparse.nlp import relation_cue_regex
from esfparse.regexes import GatedPattern, factor, fold, holds, literal_condition, trie_regex

from .conftest import CORPUS

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))]


def _perturbed(text: str) -> list[str]:
    """The text upper-cased, with its whitespace doubled or turned into newlines and tabs."""
    return [
        text,
        text.upper(),
        text.replace(" ", "  "),
        text.replace(" ", "\n"),
        text.replace(" ", "\t"),
    ]


GATED = {
    **{f"feature {f.id}": f.pattern for f in genre_data()["features"]},
    "esf cues": genre_data()["esf_re"],
    **{f"labour-market word {g.regex.pattern}": g for g in _domain_words()},
}


@pytest.mark.parametrize("name", GATED)
def test_gate_never_rules_out_a_match(name: str) -> None:
    gated, matched = GATED[name], 0
    for text in TEXTS:
        for variant in _perturbed(text[:50000]):
            if gated.regex.search(variant):
                matched += 1
                assert gated.possible(fold(variant)), variant[:200]
    if name.startswith("feature"):
        assert matched, "the corpus should hold at least one match of every genre feature"


def test_gate_rules_out_texts_without_the_words() -> None:
    gate = GatedPattern(r"\bUtlysningen\s+(?:öppnar|stänger)\b", re.IGNORECASE)
    assert gate.condition == ("and", ["utlysningen ", ("or", ["öppnar", "stänger"])])
    assert not gate.possible(fold("Projektet öppnar en verkstad."))
    assert not gate.possible(fold("Utlysningen är stängd."))
    assert gate.possible(fold("UTLYSNINGEN\n\töppnar i maj"))
    assert gate.search("UTLYSNINGEN\n\töppnar i maj", fold("UTLYSNINGEN\n\töppnar i maj"))


def test_condition_of_patterns_without_literals_is_none() -> None:
    assert literal_condition(r"\d+\s*\w+") is None
    assert literal_condition(r"(?:a|\d)x", re.I) == "x"  # a branch without a literal adds nothing
    assert holds(None, "")


_WORDS = ["sam", "samt", "samverkan", "i samverkan med", "med", "medfinansiär", "och", "ab", "a"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS, " ", "  ", ",", "X", "Med", "SAMT"]), max_size=12))
def test_trie_regex_matches_as_the_longest_first_alternation(parts: list[str]) -> None:
    text = "".join(parts)
    plain = re.compile(
        r"(?<!\w)(?:"
        + "|".join(
            r"\s+".join(map(re.escape, w.split())) for w in sorted(_WORDS, key=len, reverse=True)
        )
        + r")(?!\w)",
        re.IGNORECASE,
    )
    trie = re.compile(rf"(?<!\w){trie_regex(_WORDS)}(?!\w)", re.IGNORECASE)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_factored_talk_cues_match_as_the_plain_alternation() -> None:
    plain = re.compile(rf"\b(?:{'|'.join(_TALK_CUES)})", re.IGNORECASE | re.MULTILINE)
    assert _TALK_RE.pattern != plain.pattern  # it is factored ...
    for text in TEXTS:
        assert [m.span() for m in _TALK_RE.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]


def test_factor_keeps_the_order_of_alternatives_sharing_a_prefix() -> None:
    assert factor(["ab", "abc"]) == "ab(?:|c)"  # `ab` first, as in `ab|abc`
    assert re.match(factor(["ab", "abc"]), "abc").group(0) == "ab"
    assert factor(["a*b", "ac"]) == "(?:a*b|ac)"  # a quantified first letter is not split off


def test_relation_cue_filter_finds_cues_in_any_case_and_spacing() -> None:
    rx = relation_cue_regex()
    assert rx.search("Projektet drivs I SAMVERKAN\nMED Arbetsförmedlingen")
    assert not rx.search("samverkansmedel")
