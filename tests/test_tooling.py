"""The code stays as the linter and formatter want it: the README's one test command checks it.

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


def _ruff() -> list[str]:
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")
    return [found]


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
