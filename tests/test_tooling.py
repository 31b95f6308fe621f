"""The code stays as the linter, formatter and type checker want it: the README's one test command
checks it.

Runs the same commands a contributor runs (see CONTRIBUTING.md), so CI fails on a lint error or an
unformatted file, not only on a failing behaviour test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["esfparse", "tests", "scripts"]


def _tool(name: str) -> list[str]:
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return [str(exe)]
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' installs it)")
    return [found]


def _ruff() -> list[str]:
    return _tool("ruff")


def _mypy(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """mypy with its incremental cache in the venv (kept between runs), else in a temporary folder."""
    if sys.prefix != sys.base_prefix:
        cache = Path(sys.prefix) / "mypy_cache"
    else:
        cache = tmp_path_factory.mktemp("mypy_cache")
    return [*_tool("mypy"), "--cache-dir", str(cache)]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_check_is_clean() -> None:
    done = _run([*_ruff(), "check", "--no-cache", *PATHS])
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_applied() -> None:
    done = _run([*_ruff(), "format", "--check", "--no-cache", *PATHS])
    assert done.returncode == 0, "run `ruff format esfparse tests scripts`:\n" + done.stdout


def test_the_lint_test_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nx=1\n", encoding="utf-8")
    assert _run([*_ruff(), "check", "--no-cache", str(bad)]).returncode != 0
    assert _run([*_ruff(), "format", "--check", "--no-cache", str(bad)]).returncode != 0


def test_mypy_is_clean(tmp_path_factory: pytest.TempPathFactory) -> None:
    # the settings (check_untyped_defs, the third-party modules without types) are in pyproject.toml
    done = _run([*_mypy(tmp_path_factory), "esfparse"])
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_type_test_can_fail(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('def f() -> int:\n    return "one"\n', encoding="utf-8")
    done = _run([*_mypy(tmp_path_factory), str(bad)])
    assert done.returncode == 1 and "[return-value]" in done.stdout, done.stdout + done.stderr
