"""Shared fixtures: the corpus paths, a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RAW = CORPUS / "raw"
GOLD = CORPUS / "gold"


def gold_docs() -> list[Path]:
    """Every raw corpus document that has a gold file."""
    return sorted(p for p in RAW.glob("*.txt") if (GOLD / f"{p.stem}.json").exists())


def load_gold(path: Path) -> dict:
    return json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "esf.db")
