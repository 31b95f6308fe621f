"""Screenshot of a review page in headless Chromium, for the README.

    .venv/bin/python scripts/review_screenshot.py [document] [--out docs/screenshots/review.png]

Writes the review page of `document` (default corpus/raw/dev06.txt, a national project page with
header fields, partners, a goal and two problems) to a temporary folder and has Chromium load it
from `file://` and save a 1280x900 screenshot. Chromium runs with a throw-away profile and
without network features; the page itself loads nothing (its Content-Security-Policy forbids it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from esfparse.review import write_review  # noqa: E402 (after the sys.path line)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    """The Chromium binary (Debian's `chromium` package: `apt-get install chromium`)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise SystemExit("no chromium binary found; install it with `apt-get install chromium`")
    return found


def screenshot(document: Path, out: Path, size: str = "1280,900") -> Path:
    """Render `document`'s review page and save a screenshot of it to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esfparse-review-") as tmp:
        page = write_review(document, Path(tmp) / "review.html")
        cmd = [
            chromium(),
            *FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--screenshot={out.resolve()}",
            f"--window-size={size}",
            page.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "document", nargs="?", default="corpus/raw/dev06.txt", help="relative to the repository"
    )
    parser.add_argument("--out", default="docs/screenshots/review.png")
    args = parser.parse_args()
    os.chdir(ROOT)  # the page shows the document's path: keep it relative
    print(f"wrote {screenshot(Path(args.document), Path(args.out))}")


if __name__ == "__main__":
    main()
