"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``).

Chromium is driven through the Chrome DevTools Protocol over a pipe
(``--remote-debugging-pipe``: commands on fd 3, replies on fd 4, each message
JSON ending in a NUL byte), so no extra Python package is needed.  The test
analyses the Chinese reference story with the real engine, loads the report
from a file, and checks in the rendered DOM that the charts and the story are
there, that hovering a point of the arc shows that sentence in the tooltip,
that nothing is fetched from the network, that no script error occurs and
that the page fits a phone's width; it saves screenshots.

Skipped only on a developer machine without ``chromium``; with ``CI`` set the
browser is required (``.ci/run`` installs it).
"""

from __future__ import annotations

import base64
import fcntl
import itertools
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from _ci import find_chromium, require

import storyloom
from storyloom.examples import EXAMPLES
from storyloom.render.html import render_html

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0  # seconds for any one DevTools reply or event
REVIEW_SCREENSHOT = Path(tempfile.gettempdir()) / "storyloom_report.png"



class DevToolsError(RuntimeError):
    pass


class Chromium:
    """A headless Chromium process and a minimal DevTools Protocol client over a pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds() -> None:
            # In the child before exec: fd 3 reads commands, fd 4 writes replies.
            # Copies above 10 first, so dup2 never meets its own source; dup2
            # clears close-on-exec, while every other fd Python opened keeps it.
            r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.close(r)
            os.close(w)

        self.proc = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # keep the fds 3 and 4 made in wire_fds
            preexec_fn=wire_fds,  # noqa: PLW1509 - the test process starts no threads
            start_new_session=True,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._ids = itertools.count(1)
        self._buffer = b""
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    # -- protocol ------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DevToolsError("timed out waiting for Chromium")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise DevToolsError(f"Chromium closed the pipe (exit code {self.proc.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False) -> dict[str, Any]:
        """Send one command (to the page session unless ``browser``) and return its result."""
        msg_id = next(self._ids)
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise DevToolsError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method: str) -> dict[str, Any]:
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(i)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._read_message(deadline)
            if message.get("method") == method:
                return message
            if "method" in message:
                self.events.append(message)

    # -- page helpers --------------------------------------------------------

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, browser=True)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")

    def navigate(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise DevToolsError(f"{expression!r} raised {result['exceptionDetails']}")
        return result["result"].get("value")

    def viewport(self, width: int, height: int, mobile: bool = False) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def screenshot(self, path: Path, width: int) -> None:
        """A full-page PNG ``width`` CSS pixels wide."""
        self.viewport(width, 800)
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        self.viewport(width, height)
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send("Browser.close", browser=True)
                self.proc.wait(timeout=10)
        except (DevToolsError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)  # only the group this test started
                self.proc.wait()
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        require("chromium", "apt-get install chromium; .ci/run does")
    return path


@pytest.fixture(scope="module")
def browser(chromium_path: str, tmp_path_factory: pytest.TempPathFactory):
    chrome = Chromium(chromium_path, tmp_path_factory.mktemp("chromium-profile"))
    try:
        chrome.open_page()
        yield chrome
    finally:
        chrome.close()


@pytest.fixture(scope="module")
def reference_page(browser: Chromium, tmp_path_factory: pytest.TempPathFactory):
    """The reference story's report, analysed by the real engine and loaded in Chromium."""
    text = EXAMPLES["night-street"].text
    report = storyloom.analyze(text)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    browser.navigate(path.as_uri())
    return browser, report, path


def test_browser_renders_charts_and_story(reference_page) -> None:
    chrome, report, _ = reference_page
    n = len(report.sentences)
    assert chrome.evaluate("document.documentElement.lang") == "zh-Hans"
    assert chrome.evaluate("document.querySelectorAll('svg.arc circle.pt').length") == n
    assert chrome.evaluate("document.querySelectorAll('svg.va circle.story-pt').length") == 1
    assert chrome.evaluate("document.querySelectorAll('#emotions .bar-row').length") == 8
    # the arc really has a drawn size, and its line spans the chart
    width = chrome.evaluate("document.querySelector('svg.arc').getBoundingClientRect().width")
    assert width > 200
    assert chrome.evaluate("document.querySelector('svg.arc path.line').getTotalLength()") > 100
    # the story, exactly as written, with every sentence tinted and the evidence marked
    story = chrome.evaluate("document.querySelector('.story-text').textContent")
    assert story == report.text
    assert chrome.evaluate("document.querySelectorAll('.story-text .s').length") == n
    marks = chrome.evaluate("Array.from(document.querySelectorAll('.story-text mark')).map(m => m.textContent)")
    assert "慈祥" in marks
    dom = chrome.evaluate("document.documentElement.outerHTML")
    for sentence in report.sentences:
        assert sentence.text in dom
    for heading in ("情感弧线", "情绪分布", "故事原文"):
        assert heading in chrome.evaluate("document.body.innerText")


def test_browser_tooltip_shows_the_sentence_on_hover(reference_page) -> None:
    chrome, report, _ = reference_page
    chrome.viewport(1000, 900)
    i = 1
    box = chrome.evaluate(
        f"(() => {{const el = document.querySelectorAll('svg.arc circle.pt')[{i}];"
        "el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();"
        "return {x: r.left + r.width / 2, y: r.top + r.height / 2};})()"
    )
    chrome.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box["x"], "y": box["y"]})
    tip = chrome.evaluate(
        "(() => {const t = document.getElementById('tip');"
        "return {hidden: t.hidden, text: t.textContent, w: t.getBoundingClientRect().width};})()"
    )
    assert not tip["hidden"] and tip["w"] > 0
    assert report.sentences[i].text in tip["text"]
    assert "第2句" in tip["text"]
    # the sentence is highlighted in the story while its point is hovered
    assert chrome.evaluate(f"document.getElementById('s{i + 1}').classList.contains('hl')")
    chrome.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": 2, "y": 2})
    assert chrome.evaluate("document.getElementById('tip').hidden")


def test_browser_loads_nothing_from_the_network_and_runs_cleanly(reference_page) -> None:
    chrome, _, path = reference_page
    requests = [e["params"]["request"]["url"] for e in chrome.events if e.get("method") == "Network.requestWillBeSent"]
    assert requests, "the page load itself should be recorded"
    assert all(url.startswith(("file:", "data:", "about:")) for url in requests), requests
    errors = [e for e in chrome.events if e.get("method") == "Runtime.exceptionThrown"]
    errors += [
        e for e in chrome.events
        if e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"
    ]
    assert not errors, errors


def test_browser_fits_a_phone_and_saves_screenshots(reference_page, tmp_path: Path) -> None:
    chrome, _, _ = reference_page
    chrome.viewport(390, 844, mobile=True)
    overflow = chrome.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
    phone = tmp_path / "report-phone.png"
    chrome.screenshot(phone, 390)
    desktop = tmp_path / "report.png"
    chrome.screenshot(desktop, 900)
    for shot in (phone, desktop):
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    try:  # a copy to look at after a local run
        shutil.copyfile(desktop, REVIEW_SCREENSHOT)
    except OSError:
        pass


HOSTILE = '<script>window.__pwned = 1</script>"><img src=x onerror="window.__pwned=2">'


def _hostile_report() -> dict[str, Any]:
    """The reference report with hostile text everywhere user text can appear.

    Built by hand because the engine strips markup from input; the renderer
    must still be safe when given such text (e.g. from a stored report).
    """
    data = storyloom.analyze(EXAMPLES["night-street"].text).to_dict()
    first = data["sentences"][0]
    shift = len(HOSTILE)
    data["text"] = HOSTILE + data["text"]
    first["text"] = HOSTILE + first["text"]
    first["end"] += shift
    for s in data["sentences"][1:]:
        s["start"] += shift
        s["end"] += shift
    for evs in data["evidence"].values():
        for ev in evs:
            ev["start"] += shift
            ev["end"] += shift
    data["evidence"]["joy"].append(
        {"text": HOSTILE[:8], "sentence": 0, "start": 0, "end": 8, "weight": 1.0, "negated": False}
    )
    data["themes"] = [{"name": HOSTILE, "score": 0.5, "evidence": [{"text": HOSTILE, "sentence": 0, "kind": "cue"}]}]
    data["keywords"] = [{"term": HOSTILE, "weight": 1.0, "count": 1}]
    data["elements"] = {"characters": [{"text": HOSTILE}], "places": [], "times": [], "objects": [],
                        "structure": [{"sentence": 0, "role": HOSTILE}]}
    return data


def test_browser_shows_hostile_story_as_text(browser: Chromium, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render_html(_hostile_report()), encoding="utf-8")
    browser.navigate(path.as_uri())
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    shown = browser.evaluate("document.querySelector('.story-text').textContent")
    assert shown.startswith(HOSTILE)
    assert HOSTILE in browser.evaluate("document.querySelector('#keywords').textContent")
    assert HOSTILE in browser.evaluate("document.querySelector('#themes').textContent")
