"""A real browser against `esfparse serve`: headless Chromium loads the projects table, searches,
applies a facet and opens the map, taking a screenshot of each; it also follows a document's
review link (no screenshot).

Chromium (Debian's `chromium` package; `.ci/run` installs it) is driven over the
DevTools protocol on a pipe (`--remote-debugging-pipe`), so no Python package is
needed beyond the standard library. Screenshots go to a temporary directory, so a test run leaves
the checkout clean; `ESFPARSE_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py` refreshes
the README's pictures. Skipped only when no chromium binary is found.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import io
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from esfparse.ingest import run_ingest

from .conftest import RAW, ROOT

pytest.importorskip("datasette", reason="datasette is in the `serve`/`test` extras")

CHROMIUM = (
    shutil.which("chromium")
    or shutil.which("chromium-browser")
    or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (apt-get install chromium)"
)
_SHOTS_ENV = os.environ.get("ESFPARSE_SCREENSHOTS")
WIDTH, HEIGHT = 1280, 860


class Browser:
    """Just enough of the Chrome DevTools protocol over a pipe: navigate, evaluate, screenshot."""

    def __init__(self, profile: Path) -> None:
        self.shots_dir = profile / "screenshots"
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4; park the ends out of the way first.
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_chrome_r, from_chrome_w)]
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def wire() -> None:
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        for fd in ends:
            os.close(fd)
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._id = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call("Page.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(
        self, method: str, session: bool = False, timeout: float = 30, **params: Any
    ) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _wait_load(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if any(e.get("method") == "Page.loadEventFired" for e in self._events):
                self._events.clear()
                return
            self._events.append(self._read(deadline - time.monotonic()))

    def goto(self, url: str) -> None:
        self._events.clear()
        self.call("Page.navigate", session=True, url=url)
        self._wait_load()

    def js(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def follow(self, expression: str) -> None:
        """Run JavaScript that navigates (a click, a form submit) and wait for the new page."""
        self._events.clear()
        self.js(expression)
        self._wait_load()

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.2)
        raise TimeoutError(f"waited {timeout} s for {expression}")

    def screenshot(self, name: str, selector: str, whole: bool = False) -> Path:
        """Save <name>.png: the element `selector` (whole) or a window's height from its top."""
        box = self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " const r = el.getBoundingClientRect();"
            " return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; })()"
        )
        if not whole:
            box = {"x": 0, "y": max(box["y"] - 10, 0), "width": WIDTH, "height": HEIGHT}
        data = base64.b64decode(
            self.call(
                "Page.captureScreenshot",
                session=True,
                format="png",
                clip={**box, "scale": 1},
                captureBeyondViewport=True,
            )["data"]
        )
        shots = Path(_SHOTS_ENV) if _SHOTS_ENV else self.shots_dir
        shots.mkdir(parents=True, exist_ok=True)
        path = shots / f"{name}.png"
        path.write_bytes(_small_png(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)


def _small_png(data: bytes) -> bytes:
    """Reduce a screenshot to a 64-colour palette (a fraction of the size) when Pillow is present."""
    try:
        from PIL import Image
    except ImportError:
        return data
    image = (
        Image.open(io.BytesIO(data))
        .convert("RGB")
        .quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`esfparse serve` on the ingested corpus/raw and corpus/examples, on a free localhost port."""
    import sqlite_utils

    from esfparse.entities import rebuild_entities
    from esfparse.serve import ensure_views

    db_path = tmp_path_factory.mktemp("browser") / "esfparse.db"
    files = [*sorted(RAW.glob("*.txt")), *sorted((RAW.parent / "examples").glob("*.txt"))]
    run_ingest([(p, None) for p in files], str(db_path), progress=False)
    db = sqlite_utils.Database(db_path)
    rebuild_entities(db)  # what every ingest ends with
    ensure_views(db)
    db.close()
    port = _free_port()
    log = db_path.with_suffix(".log")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "esfparse", "serve", str(db_path), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"esfparse serve exited: {log.read_text(errors='replace')}")
                time.sleep(0.2)
        else:
            pytest.fail("esfparse serve did not answer within 20 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


ROWS = "document.querySelectorAll('table.rows-and-columns tbody tr').length"


def test_projects_table(server: str, browser: Browser) -> None:
    browser.goto(f"{server}/esfparse/projects")
    assert browser.js("document.querySelector('h1').textContent").strip() == "projects"
    assert browser.js(ROWS) > 0
    facets = browser.js("[...document.querySelectorAll('.facet-info')].map(f => f.dataset.column)")
    assert {"region", "programme_area", "phase", "layout", "owner"} <= set(facets)
    assert browser.js("!!document.querySelector('dl.column-descriptions')")
    browser.screenshot("projects", "body")


def test_search(server: str, browser: Browser) -> None:
    browser.goto(f"{server}/esfparse/projects")
    browser.follow(
        "(() => { const box = document.querySelector('input[name=_search]');"
        " box.value = 'Galaxhopen'; box.form.requestSubmit(); })()"
    )
    assert "_search=Galaxhopen" in browser.js("location.search")
    titles = browser.js(
        "[...document.querySelectorAll('table.rows-and-columns td.col-title')]"
        ".map(td => td.textContent.trim())"
    )
    assert titles == ["Galaxhopen"]
    browser.screenshot("search", "h3")


def test_stem_search_finds_inflected_forms_ranked(server: str, browser: Browser) -> None:
    """`ungdom` occurs nowhere in corpus/raw as written; the canned search finds `ungdomar`, best first."""
    browser.goto(f"{server}/esfparse/search_projects")
    browser.follow(
        "(() => { const box = document.querySelector('input[name=q]');"
        " box.value = 'ungdom'; box.form.requestSubmit(); })()"
    )
    assert "q=ungdom" in browser.js("location.search")
    scores = browser.js(
        "[...document.querySelectorAll('table.rows-and-columns td.col-score')]"
        ".map(td => parseFloat(td.textContent))"
    )
    assert len(scores) >= 2 and scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    marked = browser.js(
        "[...document.querySelectorAll('td.col-snippet mark')].map(m => m.textContent.toLowerCase())"
    )
    assert marked and all(m.startswith("ungdom") for m in marked) and "ungdom" not in marked
    browser.screenshot("stem-search", "table.rows-and-columns")


def test_facet(server: str, browser: Browser) -> None:
    browser.goto(f"{server}/esfparse/projects")
    label, count = browser.js(
        "(() => { const li = document.querySelector('.facet-info[data-column=region] li');"
        " const a = li.querySelector('a'); return [a.textContent.trim(), li.textContent]; })()"
    )
    browser.follow("document.querySelector('.facet-info[data-column=region] li a').click()")
    assert "region=" in browser.js("location.search")
    shown = browser.js(
        "[...document.querySelectorAll('table.rows-and-columns td.col-region')]"
        ".map(td => td.textContent.trim())"
    )
    assert shown and set(shown) == {label}
    assert str(len(shown)) in count  # the facet's count is the number of rows it leads to
    browser.screenshot("facet", "h3")


def test_map(server: str, browser: Browser) -> None:
    browser.goto(f"{server}/esfparse/project_places?_facet_size=5")
    assert browser.js(ROWS) > 0
    markers = browser.wait_for("document.querySelectorAll('.leaflet-marker-icon').length")
    assert markers > 0
    assert browser.js("!!document.querySelector('.leaflet-container')")
    shot = browser.screenshot("map", ".leaflet-container", whole=True)
    assert shot.stat().st_size > 1000


def test_review_link(server: str, browser: Browser) -> None:
    browser.goto(f"{server}/esfparse/documents?title=Galaxhopen")
    href = browser.js(
        "document.querySelector('td.col-path a.esfparse-review').getAttribute('href')"
    )
    assert href.startswith("/-/review/")
    browser.follow("document.querySelector('td.col-path a.esfparse-review').click()")
    assert browser.js("location.pathname") == href
    assert browser.js("document.title").startswith("Review: ")
    assert browser.js("document.querySelectorAll('pre.doc mark[id^=span-]').length") > 0


def test_promised_vs_achieved(server: str, browser: Browser) -> None:
    """A project page's goals beside the results of the final report linked to it, with the link's evidence."""
    browser.goto(f"{server}/esfparse/promised_vs_achieved")
    assert browser.js("document.querySelector('h1').textContent").strip() == "Promised vs achieved"
    rows = browser.js(
        "[...document.querySelectorAll('table.rows-and-columns tbody tr')].map(tr => "
        "Object.fromEntries([...tr.querySelectorAll('td')].map(td => "
        "[td.className.replace('col-', '').split(' ')[0], td.textContent.trim()])))"
    )
    pairs = [r for r in rows if r.get("promised") and r.get("achieved")]
    assert pairs, rows
    navigator = [r for r in pairs if r["project"] == "Navigator"]
    assert {(float(r["promised"]), float(r["achieved"])) for r in navigator} >= {(135.0, 142.0)}
    assert all(
        r["link_method"] == "name_key" and "identity key name:navigator" in r["link_evidence"]
        for r in navigator
    )
    assert {r["link_method"] for r in pairs} >= {"name_key", "case_number"}
    browser.screenshot("promised-vs-achieved", "table.rows-and-columns")
