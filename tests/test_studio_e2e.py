"""The web studio end to end: the real server (``storyloom serve``) and a real browser.

Playwright for Python drives Debian's ``chromium`` (``executable_path``; Playwright's own browser
download is never used).  The scenario of issue #6 §5: paste the night-street story, analyse it,
check the arc chart (one SVG point per sentence, each with a ``<title>`` holding its sentence) and
老奶奶 among the characters, write a warm second-person story, save it, find it in the library,
delete it.  Also: keyboard-only use reaches the main controls with a visible focus ring, a
phone-sized screen has no horizontal scroll, every input has a label and every button a name, body
text has at least 4.5:1 contrast, the classroom batch works, and the page never asks anything of a
host other than this machine.  Screenshots go to ``tests/artifacts/studio/`` (git-ignored).

Skipped on a developer machine without ``chromium`` or Playwright; with ``CI`` set both are required.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from storyloom.examples import EXAMPLES

from _ci import find_chromium as _find_chromium
from _ci import require as _require

ARTIFACTS = Path(__file__).parent / "artifacts" / "studio"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SERVER_START_S = 120.0  # the server warms the analyser up before it answers /api/health
ANALYSE_MS = 120_000
WRITE_MS = 240_000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MIN_CONTRAST = 4.5  # WCAG 2.x AA for body text

NIGHT_STREET = EXAMPLES["night-street"].text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as res:  # noqa: S310 - our own loopback server
        return json.loads(res.read().decode("utf-8"))


# -- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``storyloom serve`` on a free loopback port with a fresh SQLite database; yields its base URL."""
    tmp = tmp_path_factory.mktemp("studio")
    port = _free_port()
    exe = Path(sys.executable).with_name("storyloom")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "storyloom"]
    cmd += ["serve", "--port", str(port), "--db", f"sqlite:///{tmp / 's.db'}"]
    log = (tmp / "server.log").open("w", encoding="utf-8")
    env = {**os.environ, "STORYLOOM_WARM_UP": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"storyloom serve exited with {proc.returncode}:\n{(tmp / 'server.log').read_text()[-3000:]}")
            try:
                if _get_json(f"{base}/api/health").get("status") == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"storyloom serve did not answer within {SERVER_START_S:g} s:\n"
                            f"{(tmp / 'server.log').read_text()[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = _find_chromium()
    if chromium is None:
        _require("chromium", "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require("Playwright for Python", "pip install playwright; its browser download is not needed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """Every request the page makes, and every script error it throws."""

    def __init__(self, context: Any) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda req: self.urls.append(req.url))
        context.on("weberror", lambda err: self.errors.append(str(err.error)))

    def foreign(self) -> list[str]:
        out = []
        for url in self.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in LOOPBACK:
                out.append(url)
        return out


@pytest.fixture
def page(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page on the studio (English browser: the interface must follow the story, not the browser)."""
    viewport = getattr(request, "param", {"width": 1280, "height": 900})
    context = browser.new_context(viewport=viewport, locale="en-US", base_url=server)
    watch = Watch(context)
    pg = context.new_page()
    pg.goto("/")
    pg.wait_for_selector("body[data-ready=true]")
    try:
        yield pg
        assert watch.errors == [], f"script errors: {watch.errors}"
        assert watch.foreign() == [], f"requests to hosts other than this machine: {watch.foreign()}"
        assert watch.urls, "no requests were recorded at all"
    finally:
        context.close()


def _shot(pg: Any, name: str, full: bool = True) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def _analyse(pg: Any, text: str) -> None:
    pg.fill("#story-text", text)
    pg.click("#analyze-btn")
    pg.wait_for_selector("#r-arc-chart svg circle.pt", state="attached", timeout=ANALYSE_MS)


# -- the scenario (issue #6 §5) -----------------------------------------------------------------------


def test_studio_scenario_analyse_write_save_find_delete(page: Any, server: str) -> None:
    pg = page
    assert pg.evaluate("document.documentElement.lang") == "en"  # nothing written yet: the browser's language
    _analyse(pg, NIGHT_STREET)

    # the interface now follows the story (Simplified Chinese)
    assert pg.evaluate("document.documentElement.lang") == "zh-Hans"
    assert pg.inner_text("#analyze-btn") == "分析"

    # the arc: one point per sentence, each carrying its sentence in an SVG <title>
    n = pg.locator("#r-story-text .s").count()
    assert n == 3
    points = pg.locator("#r-arc-chart svg circle.pt")
    assert points.count() == n
    titles = pg.eval_on_selector_all("#r-arc-chart svg circle.pt", "els => els.map(e => e.querySelector('title').textContent)")
    sentences = pg.eval_on_selector_all("#r-story-text .s", "els => els.map(e => e.textContent)")
    for title, sentence in zip(titles, sentences, strict=True):
        assert sentence in title
    assert "老奶奶" in titles[0]
    assert pg.evaluate("document.querySelector('#r-arc-chart svg path.line').getTotalLength()") > 100
    # hovering a point shows its sentence and highlights it in the story
    points.nth(1).hover()
    pg.wait_for_selector("#tip:not([hidden])")
    assert sentences[1] in pg.inner_text("#tip")
    assert pg.locator("#r-s2.hl").count() == 1
    pg.mouse.move(2, 2)
    pg.wait_for_selector("#tip", state="hidden")
    assert pg.locator("#r-arc-chart svg circle.pt title").count() == n  # the <title>s are back

    # emotion bars, characters, the rest of the report
    assert pg.locator("#r-emotions .bar-row").count() == 8
    assert "老奶奶" in pg.locator("#r-characters li").all_inner_texts()
    for section in ("#r-summary", "#r-va", "#r-themes", "#r-keywords", "#r-style", "#r-elements", "#r-story"):
        assert pg.locator(section).count() == 1, section
    assert pg.locator("#r-story-text mark.ev").count() >= 1  # evidence marked
    assert pg.locator("#safety").is_hidden()  # nothing worrying in this story
    _shot(pg, "01-report")

    # the full HTML report in a sandboxed frame
    pg.click("#full-report-btn")
    frame = pg.frame_locator("#full-report")
    frame.locator("svg.arc circle.pt").first.wait_for(state="attached")
    assert frame.locator("svg.arc circle.pt").count() == n

    # the interface-language switch
    pg.select_option("#ui-lang", "en")
    assert pg.evaluate("document.documentElement.lang") == "en"
    assert pg.inner_text("#analyze-btn") == "Analyse"
    assert pg.locator("#r-arc-chart svg circle.pt").count() == n  # the report is redrawn, not lost
    pg.select_option("#ui-lang", "zh-Hant")
    assert pg.inner_text("#h-r-emotions") == "情緒分佈"
    pg.select_option("#ui-lang", "auto")
    assert pg.evaluate("document.documentElement.lang") == "zh-Hans"

    # write a warm story in the second person
    pg.fill("#w-feel", "温暖")
    pg.select_option("#w-pov", "second")
    pg.click("#write-btn")
    pg.wait_for_selector("#new-story-text", timeout=WRITE_MS)
    new_text = pg.inner_text("#new-story-text")
    assert new_text.strip()
    assert "你" in new_text
    assert NIGHT_STREET in pg.inner_text("#original-text")
    assert pg.locator("#candidates tbody tr").count() >= 1
    assert pg.locator("#candidates tbody tr.chosen").count() == 1
    assert pg.locator("#o-arc-chart svg circle.pt").count() == n  # both analyses side by side
    assert pg.locator("#n-arc-chart svg circle.pt").count() >= 1
    assert pg.locator("#n-emotions .bar-row").count() == 8
    _shot(pg, "02-written")

    # save it
    pg.click("#save-version-btn")
    pg.wait_for_function("document.querySelector('#write-status').textContent.includes('已保存')")

    # find it in the library
    pg.click("a[data-view=library]")
    pg.fill("#lib-q", "老奶奶")
    pg.press("#lib-q", "Enter")
    pg.wait_for_selector("#lib-list li")
    assert pg.locator("#lib-list li").count() == 1
    pg.click("#lib-list li a")
    pg.wait_for_selector("#version-list li")
    assert new_text.strip()[:12] in pg.inner_text("#version-list")
    assert "老奶奶" in pg.inner_text("#lib-story")
    _shot(pg, "03-library")

    # the timeline has the entry, one click from its story
    pg.click("a[data-view=timeline]")
    pg.wait_for_selector("#tl-list li a")
    assert pg.locator("#tl-chart svg a circle.pt").count() == 1
    _shot(pg, "04-timeline")
    pg.click("#tl-list li a")
    pg.wait_for_selector("#lib-story")

    # delete it
    pg.once("dialog", lambda dialog: dialog.accept())
    pg.click("#delete-story")
    pg.wait_for_function("document.querySelectorAll('#lib-list li').length === 0 && !document.querySelector('#lib-story')")
    assert _get_json(f"{server}/api/stories")["total"] == 0
    _shot(pg, "05-deleted")


# -- keyboard, phone, accessibility ---------------------------------------------------------------------


FOCUS_PROBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  return {id: el.id, tag: el.tagName.toLowerCase(), view: el.dataset ? (el.dataset.view || '') : '',
          cls: el.className && el.className.baseVal === undefined ? el.className : '',
          outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0};
}"""


def test_keyboard_reaches_main_controls_with_visible_focus(page: Any) -> None:
    pg = page
    pg.evaluate("document.activeElement && document.activeElement.blur()")
    seen: list[dict[str, Any]] = []
    for _ in range(25):
        pg.keyboard.press("Tab")
        info = pg.evaluate(FOCUS_PROBE)
        if info:
            seen.append(info)
    order = [s["id"] or s["view"] or s["cls"] for s in seen]
    wanted = ["skip", "studio", "library", "timeline", "batch", "ui-lang", "story-text", "story-file",
              "story-lang", "story-engine", "analyze-btn"]
    positions = []
    for name in wanted:
        assert name in order, f"Tab never reached {name}: {order}"
        positions.append(order.index(name))
    assert positions == sorted(positions), f"Tab order is {order}"
    for info in seen[: order.index("analyze-btn") + 1]:
        assert info["outline"] != "none" and info["width"] >= 2, f"no visible focus on {info}"
    _shot(pg, "06-keyboard-focus", full=False)

    # and the whole job can be done from the keyboard: type, Tab to Analyse, Enter
    pg.focus("#story-text")
    pg.keyboard.insert_text(NIGHT_STREET)
    while pg.evaluate("document.activeElement.id") != "analyze-btn":
        pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")
    pg.wait_for_selector("#r-arc-chart svg circle.pt", state="attached", timeout=ANALYSE_MS)
    # chart points are reachable by Tab and show their sentence on focus
    pg.focus("#r-arc-chart svg circle.pt")
    pg.wait_for_selector("#tip:not([hidden])")
    assert "老奶奶" in pg.inner_text("#tip")


@pytest.mark.parametrize("page", [{"width": 390, "height": 844}], indirect=True)
def test_phone_screen_has_no_horizontal_scroll(page: Any) -> None:
    pg = page
    no_overflow = "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    assert pg.evaluate(no_overflow)
    _analyse(pg, NIGHT_STREET)
    assert pg.evaluate(no_overflow), pg.evaluate("document.documentElement.scrollWidth")
    width = pg.evaluate("document.querySelector('#r-arc-chart svg').getBoundingClientRect().width")
    assert 300 <= width <= 390
    _shot(pg, "07-phone-report")
    pg.fill("#w-feel", "温暖")
    pg.click("#write-btn")
    pg.wait_for_selector("#new-story-text", timeout=WRITE_MS)
    assert pg.evaluate(no_overflow), pg.evaluate("document.documentElement.scrollWidth")
    _shot(pg, "08-phone-written")
    for view in ("library", "timeline", "batch"):
        pg.click(f"a[data-view={view}]")
        pg.wait_for_selector(f"#view-{view}:not([hidden])")
        assert pg.evaluate(no_overflow), view


CONTRAST = """(selectors) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, under) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]); };
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) layers.push(c); if (c && c[3] >= 1) break; }
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  }
  const out = [];
  for (const sel of selectors) {
    for (const el of Array.from(document.querySelectorAll(sel)).slice(0, 3)) {
      if (!el.getClientRects().length) continue;
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      out.push({sel, text: el.textContent.trim().slice(0, 30), ratio: (hi + 0.05) / (lo + 0.05)});
    }
  }
  return out;
}"""

UNLABELLED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden') continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!named) bad.push(el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('button, a[href], [role=button]')) {
    const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('title') || '').trim();
    if (!name) bad.push(el.outerHTML.slice(0, 80));
  }
  return bad;
}"""


def test_accessibility_labels_names_and_contrast(page: Any) -> None:
    pg = page
    _analyse(pg, NIGHT_STREET)
    pg.fill("#w-feel", "温暖")
    pg.click("#write-btn")
    pg.wait_for_selector("#new-story-text", timeout=WRITE_MS)
    assert pg.evaluate(UNLABELLED) == []
    # landmarks and headings
    assert pg.locator("main#main").count() == 1 and pg.locator("header nav").count() == 1
    assert pg.eval_on_selector_all("nav", "els => els.every(e => e.getAttribute('aria-label'))")  # navs told apart
    assert pg.locator("h1").count() >= 1
    selectors = ["body", "#h-input", ".help", ".muted", "label", ".tabs a", ".tabs a[aria-current=page]", "button.primary",
                 "button:not(.primary):not(.link)", ".stat-k", ".stat-d", ".bar-name", "#r-story-text .s", ".note",
                 ".status.ok", ".chip", "td", "th", ".foot p", "#new-story-text"]
    results = pg.evaluate(CONTRAST, selectors)
    checked = {r["sel"] for r in results}
    assert {"body", ".help", "label", "button.primary", "#r-story-text .s", ".muted"} <= checked
    low = [r for r in results if r["ratio"] < MIN_CONTRAST]
    assert low == [], f"contrast below {MIN_CONTRAST}:1: {low}"
    for view in ("library", "timeline", "batch"):
        pg.click(f"a[data-view={view}]")
        pg.wait_for_selector(f"#view-{view}:not([hidden])")
        assert pg.evaluate(UNLABELLED) == [], view


# -- classroom batch ------------------------------------------------------------------------------------


def test_classroom_batch_progress_table_report_and_csv(page: Any, tmp_path: Path) -> None:
    pg = page
    essays = [
        {"id": "s1", "text": "期中考试的成绩发下来了，我的数学只考了五十八分。回家的路上，我一直低着头，心里又难过又害怕。"},
        {"id": "s2", "text": NIGHT_STREET},
        {"id": "s3", "text": "On my first day at the new job I was terrified. By the end of the week we were laughing together."},
    ]
    upload = tmp_path / "essays.jsonl"
    upload.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in essays) + "\n", encoding="utf-8")
    pg.click("a[data-view=batch]")
    pg.set_input_files("#batch-file", str(upload))
    pg.click("#batch-btn")
    pg.wait_for_selector("#batch-csv:not([hidden])", timeout=ANALYSE_MS)
    assert pg.locator("#batch-results tbody tr").count() == 3
    assert pg.evaluate("document.querySelector('#batch-bar').value") == 3
    headers = pg.eval_on_selector_all("#batch-results thead button.sort", "els => els.map(e => e.dataset.key)")
    assert headers == ["id", "polarity", "intensity", "dominant_emotion", "arc", "pov", "length", "readability", "themes"]
    # sort by intensity, both ways
    pg.click("#batch-results button.sort[data-key=intensity]")
    th = "#batch-results th:has(button[data-key=intensity])"
    assert pg.get_attribute(th, "aria-sort") == "ascending"
    col = "els => els.map(e => parseFloat(e.children[2].textContent))"
    up = pg.eval_on_selector_all("#batch-results tbody tr", col)
    assert up == sorted(up)
    pg.click("#batch-results button.sort[data-key=intensity]")
    assert pg.get_attribute(th, "aria-sort") == "descending"
    assert pg.eval_on_selector_all("#batch-results tbody tr", col) == sorted(up, reverse=True)
    # one essay's report
    row = pg.locator("#batch-results tbody tr", has_text="s2")
    row.locator("button").click()
    pg.wait_for_selector("#b-arc-chart svg circle.pt", state="attached", timeout=ANALYSE_MS)
    assert "老奶奶" in pg.locator("#b-characters li").all_inner_texts()
    _shot(pg, "09-batch")
    # the CSV download
    href = pg.get_attribute("#batch-csv", "href")
    res = pg.request.get(href)
    assert res.ok
    lines = res.text().strip().splitlines()
    assert len(lines) == 4 and "polarity" in lines[0]


# -- safety ---------------------------------------------------------------------------------------------


def test_worrying_story_shows_a_calm_support_panel(page: Any) -> None:
    pg = page
    assert pg.locator("#safety").is_hidden()
    _analyse(pg, "最近压力很大，我真的不想活了，觉得一切都没有意义。")
    risk = pg.evaluate("fetch('/api/analyze', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                       " body: JSON.stringify({text: document.querySelector('#story-text').value})})"
                       ".then(r => r.json()).then(r => r.safety && r.safety.risk)")
    if risk not in ("concern", "urgent"):
        pytest.skip(f"the analyser reads this story's risk as {risk!r}; the panel needs concern or urgent")
    panel = pg.locator("#safety")
    assert panel.is_visible()
    assert pg.get_attribute("#safety", "class") == f"safety {risk}"
    assert pg.locator("#h-safety").inner_text().strip()
    assert "不想活" in (panel.text_content() or "")  # the sentence that raised it, under a disclosure
    assert panel.locator("ul li, p").count() >= 2  # support resources, or where to find them
    _shot(pg, "10-safety")


# -- uploads ----------------------------------------------------------------------------------------------


def test_upload_docx_and_txt_fill_the_editor_and_the_interface_follows(page: Any, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    pg = page
    letter = EXAMPLES["grandpa-letter"].text  # Traditional characters
    paragraphs = [letter[: letter.index("。") + 1], letter[letter.index("。") + 1:]]
    doc = docx.Document()
    for para in paragraphs:
        doc.add_paragraph(para)
    path = tmp_path / "外公.docx"
    doc.save(str(path))
    pg.set_input_files("#story-file", str(path))
    pg.wait_for_function("document.querySelector('#story-text').value.length > 0")
    assert pg.input_value("#story-text") == "\n".join(paragraphs)
    assert pg.evaluate("document.documentElement.lang") == "zh-Hant"  # the interface follows, in Traditional
    assert pg.inner_text("#analyze-btn") == "分析"
    assert pg.inner_text("a[data-view=library]") == "故事庫"
    assert pg.input_value("#save-title") == "外公"

    english = tmp_path / "first-day.txt"
    english.write_text("\ufeff" + EXAMPLES["first-day"].text, encoding="utf-8")
    pg.set_input_files("#story-file", str(english))
    pg.wait_for_function("document.querySelector('#story-text').value.startsWith('On my first day')")
    assert pg.evaluate("document.documentElement.lang") == "en"
    assert pg.inner_text("#analyze-btn") == "Analyse"
