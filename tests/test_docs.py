"""The README stays true: its CLI reference is what `--help` prints, its commands exist."""

from __future__ import annotations

import re

from esfparse.cli import cli
from esfparse.docs import END, START, cli_reference

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_reference_is_current() -> None:
    section = README.split(START, 1)[1].split(END, 1)[0]
    assert section.strip() == cli_reference().strip(), "run `python -m esfparse.docs`"


def test_every_command_is_in_the_reference() -> None:
    for name in cli.commands:
        assert f"### `esfparse {name}`" in README


def test_readme_commands_name_real_commands() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", README.split(START, 1)[0], re.DOTALL)
    used = set(re.findall(r"(?:^|&& |/)esfparse ([\w-]+)", "\n".join(blocks), re.MULTILINE))
    assert used and used <= set(cli.commands), used - set(cli.commands)
    assert {"ingest", "extract", "eval", "validate", "serve", "export"} <= used
