"""spaCy is imported without its command-line interface, and falls back to the ordinary import."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from esfparse import nlp
{setup}
cues = [c.id for c in nlp.find_cues("Minst 30 % av deltagarna ska ha arbete efter projektet.")]
cli_loaded = "typer" in sys.modules
import spacy
info = spacy.info(markdown=False, silent=True)
from spacy.cli import download  # the real CLI is still importable afterwards
print(json.dumps({{"cues": cues, "cli_loaded_by_pipeline": cli_loaded, "version": info["spacy_version"]}}))
"""


def _probe(setup: str = "") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_pipeline_works_without_loading_the_cli_and_spacy_info_still_works():
    import spacy

    result = _probe()
    assert result["cli_loaded_by_pipeline"] is False
    assert result["cues"] and "modal" in result["cues"]
    assert result["version"] == spacy.__version__


def test_a_spacy_that_needs_more_of_its_cli_is_imported_the_ordinary_way():
    broken = (
        'nlp.CLI_PLACEHOLDERS = {"spacy.cli": {}, "spacy.cli.info": {}}  # no `info`: ImportError'
    )
    result = _probe(broken)
    assert result["cli_loaded_by_pipeline"] is True  # fell back to the full import
    assert result["cues"] == _probe()["cues"]
