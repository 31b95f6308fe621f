"""Every rendering of a page gives the record of its .txt: renderings made by independent tools.

``scripts/make_renderings.py`` writes them into corpus/renderings/ (Chromium print-to-PDF and
innerText, w3m and lynx dumps of the HTML pages; a label/value-table PDF and a tab-separated paste
of every page with a header); CRLF, no-break-space and indentation perturbations of every corpus
page are made here in memory. Each is compared with its .txt's record field by field (kind, title,
every header field, municipalities, goals). Known misses are strict xfails: fixing one fails the
test until it is taken off the list. The tools are needed only to regenerate: ``test_fresh_*``
re-renders a few pages when w3m, lynx or Chromium is installed and skips otherwise.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from esfparse.gold import to_gold
from esfparse.pipeline import extract_document, extract_file
from esfparse.readers.text import read_bytes

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "make_renderings", ROOT / "scripts/make_renderings.py"
)
assert _spec is not None and _spec.loader is not None
mr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mr)

KNOWN_MISSES: set[str] = {
    "browser-text/raw-002_c65f5d836ed6fb9d",
    "chromium-pdf/raw-002_c65f5d836ed6fb9d",
    "html-markup/raw-002_c65f5d836ed6fb9d",
    "html-markup/real-006",
    "html-markup/real-010",
    "html-markup/real-013",
    "html-markup/real-034",
    "indent/real-050",
    "lynx/raw-dev14",
    "nbsp/real-008",
    "nbsp/real-073",
    "w3m/raw-dev08",
}

RENDERED = list(mr.renderings())
PERTURBED = [(how, name, path) for how in mr.PERTURBATIONS for name, path in mr.txt_sources()]
_REFERENCES: dict[str, dict] = {}


def reference(name: str) -> dict:
    """The record of the .txt a rendering was made from (the expected answer)."""
    if name not in _REFERENCES:
        _REFERENCES[name] = to_gold(extract_file(mr.source_of(name)).record)
    return _REFERENCES[name]


def _case(family: str, name: str, path: Path):
    case_id = f"{family}/{name}"
    marks = [pytest.mark.xfail(strict=True, reason="known miss")] if case_id in KNOWN_MISSES else []
    return pytest.param(family, name, path, id=case_id, marks=marks)


def test_renderings_are_present() -> None:
    families = {family for family, _, _ in RENDERED}
    assert families == set(mr.HTML_FAMILIES + mr.TEXT_FAMILIES)
    assert sum(1 for f, _, _ in RENDERED if f == "table-pdf") >= 50


@pytest.mark.parametrize("family,name,path", [_case(*r) for r in RENDERED])
def test_rendering_gives_the_text_record(family: str, name: str, path: Path) -> None:
    got = to_gold(extract_file(path).record)
    _equal, _total, differ = mr.compare(reference(name), got)
    assert not differ, f"{path.name}: {differ}"


@pytest.mark.parametrize("family,name,path", [_case(*p) for p in PERTURBED])
def test_perturbed_page_gives_the_text_record(family: str, name: str, path: Path) -> None:
    data = mr.perturb(path.read_text(encoding="utf-8"), family).encode("utf-8")
    got = to_gold(extract_document(read_bytes(data, str(path))).record)
    _equal, _total, differ = mr.compare(reference(name), got)
    assert not differ, f"{family} {path.name}: {differ}"


def test_perturbations_change_the_text() -> None:
    text = "Projektägare\nGöteborgs stad\nRegion Västsverige\n"
    assert mr.perturb(text, "crlf").count("\r\n") == 3
    assert "\u00a0" in mr.perturb(text, "nbsp")
    assert all(line.startswith("   ") for line in mr.perturb(text, "indent").splitlines())


def test_compare_names_the_fields_that_differ() -> None:
    want = {"kind": "project_page", "title": "A", "extra": {"utlysning": "2015/1"}, "goals": []}
    got = {"kind": "project_page", "title": "B", "extra": {}, "goals": []}
    assert mr.compare(want, got) == (1, 3, ["extra.utlysning", "title"])


FRESH = ["raw-dev04", "raw-dev06"]


@pytest.mark.parametrize("family", ["w3m", "lynx", "chromium-pdf"])
def test_fresh_renderings_give_the_text_record(family: str, tmp_path: Path) -> None:
    tool, make = mr.MAKERS[family]
    if tool() is None:
        pytest.skip(f"{family}: tool not installed (apt-get install w3m lynx chromium)")
    for name in FRESH:
        data = make(mr.HTML_DIR / f"{name.split('-', 1)[1]}.html")
        target = tmp_path / f"{name}{mr.EXTENSIONS.get(family, '.txt')}"
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
        assert mr.compare(reference(name), to_gold(extract_file(target).record))[2] == []


def test_tools_are_found_when_installed() -> None:
    assert (mr.MAKERS["w3m"][0]() is None) == (shutil.which("w3m") is None)
