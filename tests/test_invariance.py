"""Format invariance: the same document as text, HTML and PDF gives the same extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from esfparse.gold import to_gold
from esfparse.pipeline import extract_file

from .conftest import CORPUS, RAW

RENDERED = sorted([*CORPUS.glob("html/*.html"), *CORPUS.glob("pdf/*.pdf")])


def _without_quotes(gold: dict) -> dict:
    """Goal quotes keep their words but a PDF may re-break a line inside one; compare words."""
    out = dict(gold)
    out["goals"] = [{**g, "quote": " ".join(g["quote"].split())} for g in gold["goals"]]
    return out


@pytest.fixture(scope="module")
def text_extractions() -> dict[str, dict]:
    return {p.stem: to_gold(extract_file(p).record) for p in RAW.glob("*.txt")}


def test_every_document_is_rendered() -> None:
    stems = {p.stem for p in RAW.glob("*.txt")}
    assert {p.stem for p in CORPUS.glob("pdf/*.pdf")} == stems
    assert {p.stem for p in CORPUS.glob("html/*.html")} >= stems - {"003_cb21b008e22a7951"}


@pytest.mark.parametrize("path", RENDERED, ids=[f"{p.parent.name}-{p.stem}" for p in RENDERED])
def test_same_extraction_as_text(path: Path, text_extractions: dict[str, dict]) -> None:
    got = _without_quotes(to_gold(extract_file(path).record))
    want = _without_quotes(text_extractions[path.stem])
    assert got == want
