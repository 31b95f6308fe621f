"""The README's CLI reference, generated from `--help` so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def cli_reference() -> str:
    """Markdown: `esfparse --help` and every command's `--help`, at a fixed width."""
    from click.testing import CliRunner

    from .cli import cli

    runner = CliRunner()
    parts = []
    for name in ["", *sorted(cli.commands)]:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(cli, args, obj={}, terminal_width=100, prog_name="esfparse")
        title = f"esfparse {name}".strip()
        parts.append(f"### `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def update_readme(path: Path) -> bool:
    """Rewrite the CLI reference section of a README; True when it changed."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    new = pattern.sub(lambda _: f"{START}\n{cli_reference()}{END}", text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    changed = update_readme(Path(__file__).resolve().parent.parent / "README.md")
    print("README.md updated" if changed else "README.md already current")
