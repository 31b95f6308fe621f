"""The files a command works on: folders walked recursively, each file once (no click, no parsing)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".pdf"}


def iter_files(
    paths: tuple[str, ...], notices: list[str] | None = None
) -> Iterator[tuple[Path, str | None]]:
    """Files under `paths` (folders recursively), with an error if any.

    Symlink loops and a file met twice are skipped; each skip is described in `notices`.
    """
    seen: dict[tuple[int, int], Path] = {}
    notes = notices if notices is not None else []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p, seen, notes)
        elif p.exists():
            if _first_visit(p, seen, notes):
                yield p, None
        else:
            yield p, "no such file or directory"


def _first_visit(p: Path, seen: dict[tuple[int, int], Path], notes: list[str]) -> bool:
    try:
        st = p.stat()
    except OSError:
        return True
    key = (st.st_dev, st.st_ino)
    if key in seen:
        notes.append(f"skipped {_shown(p)}: the same file as {_shown(seen[key])}")
        return False
    seen[key] = p
    return True


def _shown(path: Any) -> str:
    from .names import shown

    return shown(path)


def _walk(
    root: Path, seen: dict[tuple[int, int], Path], notes: list[str]
) -> Iterator[tuple[Path, str | None]]:
    visited_dirs: dict[tuple[int, int], str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        key = (st.st_dev, st.st_ino)
        if key in visited_dirs:
            dirnames[:] = []  # a symlink loop (or a second link to a folder): do not descend again
            notes.append(
                f"skipped {_shown(dirpath)}: a link back to {_shown(visited_dirs[key])} (symlink loop)"
            )
            continue
        visited_dirs[key] = dirpath
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if (
                p.suffix.lower() in SUFFIXES
                and not name.startswith(".")
                and _first_visit(p, seen, notes)
            ):
                yield p, None
