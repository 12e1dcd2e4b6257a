"""Every page of the built site in a real browser, with the network reaching nothing but the site.

``make site-check`` (after the strict build) serves ``_build/html`` on localhost and opens every
page of the table of contents in Debian's Chromium, driven by Playwright, with every request that
leaves localhost blocked. Each page is visited once; the tests below read what was seen: console
errors and failed requests, typeset equations, figures and their alt text, solutions that open
on click, axe-core's accessibility violations and the page's weight. A screenshot of every page
goes to ``_build/site-shots/``. Without a browser the tests fail and say why; they never skip.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlparse

import pytest
from book_files import toc_pages
from browser import block_outside_requests, chromium, offline_page

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ["CONSENTLIB_SITE_DIR"]) if os.environ.get("CONSENTLIB_SITE_DIR") else None
SHOTS = ROOT / "_build" / "site-shots"
MAX_PAGE_BYTES = 3 * 1024 * 1024
EXPLORER_PAGE = "book/05-formal-model"

pytestmark = pytest.mark.skipif(SITE is None, reason="run by `make site-check` after a build")

#: Text left over from unrendered math, outside code: MathJax removes these when it typesets.
RAW_MATH = re.compile(r"\\\(|\\\[|\$\$")

#: Visible text of the page's main column without code, scripts or typeset math.
_PROSE_JS = """() => {
  const main = document.querySelector('main') || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .cell_input')
      .forEach(node => node.remove());
  return copy.textContent;
}"""

_IMAGES_JS = """() => Array.from(document.querySelectorAll('main img')).map(img => ({
  src: img.getAttribute('src'), alt: img.getAttribute('alt'),
  loaded: img.complete && img.naturalWidth > 0}))"""


@dataclass
class Visit:
    """What one page showed the browser."""

    page: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requested: set[str] = field(default_factory=set)
    math_elements: int = 0
    typeset: int = 0
    raw_math: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    solutions: int = 0
    solutions_hidden_at_first: int = 0
    solutions_opened: int = 0
    serious_violations: list[str] = field(default_factory=list)
    seconds: float = 0.0
    transfer_bytes: int = 0

    @property
    def uncompressed_bytes(self) -> int:
        total = 0
        for path in self.requested:
            file = SITE / path
            total += file.stat().st_size if file.is_file() else 0
        return total


#: What a static host such as GitHub Pages sends compressed.
COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".xml", ".ttf", ".eot"}


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the site as a static host does: text compressed with gzip when the browser accepts
    it. ``sent`` counts the body bytes sent, for the pages' transfer sizes."""

    sent: ClassVar[list[int]] = [0]

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if path.is_file() and path.suffix in COMPRESSED and accepts:
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.sent[0] += len(body)
            return
        if path.is_file():
            self.sent[0] += path.stat().st_size
        super().do_GET()

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_SiteHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _new_page(browser, visit: Visit, base: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    block_outside_requests(context, visit.blocked)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            visit.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: visit.failed_requests.append(f"{request.url} ({request.failure})"),
    )

    def on_response(response):
        if response.status >= 400:
            visit.failed_requests.append(f"{response.url} (HTTP {response.status})")
        if response.url.startswith(base):
            visit.requested.add(unquote(urlparse(response.url).path).lstrip("/"))

    page.on("response", on_response)
    return context, page


def _wait_for_math(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('.math') || "
        "(window.MathJax && MathJax.startup && MathJax.startup.promise)",
        timeout=20_000,
    )
    page.evaluate(
        "() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true"
    )


def _check_solutions(page, visit: Visit, shot: Path) -> None:
    solutions = page.locator("main div.solution")
    visit.solutions = solutions.count()
    for i in range(visit.solutions):
        solution = solutions.nth(i)
        body = solution.locator(":scope > *:not(.admonition-title)").first
        if not body.is_visible():
            visit.solutions_hidden_at_first += 1
        solution.locator(".admonition-title").first.click()
        body.wait_for(state="visible", timeout=3_000)
        visit.solutions_opened += 1
        if i == 0:
            solution.screenshot(path=shot.with_name(shot.stem + "-solution.png"))


#: Pages with more elements than this (the API reference) have colour contrast checked on a
#: sample: the page's frame and the first entry of each module, whose styles every other entry
#: repeats. axe's colour-contrast rule takes minutes over all 18,000 elements of that page.
LARGE_PAGE = 6_000
CONTRAST_SAMPLE = {
    "include": [
        ["header"],
        [".bd-sidebar-primary"],
        ["main h1"],
        ["main section > dl:first-of-type"],
    ]
}


def _axe(page, visit: Visit) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # preload: False, because axe would fetch @import-ed stylesheets by a wrong relative URL.
    options = {"resultTypes": ["violations"], "preload": False}
    axe = Axe()
    if page.evaluate("document.querySelectorAll('main *').length") > LARGE_PAGE:
        runs = [
            axe.run(page, options={**options, "rules": {"color-contrast": {"enabled": False}}}),
            axe.run(
                page,
                context=CONTRAST_SAMPLE,
                options={**options, "runOnly": {"type": "rule", "values": ["color-contrast"]}},
            ),
        ]
    else:
        runs = [axe.run(page, options=options)]
    for results in runs:
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [", ".join(map(str, n["target"])) for n in violation["nodes"]][:5]
                visit.serious_violations.append(
                    f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
                )


def _visit(browser, base: str, page_name: str) -> Visit:
    visit = Visit(page_name)
    started = time.perf_counter()
    shot = SHOTS / f"{page_name.replace('/', '-')}.png"
    context, page = _new_page(browser, visit, base)
    try:
        before = _SiteHandler.sent[0]
        page.goto(f"{base}/{page_name}.html", wait_until="load")
        _wait_for_math(page)
        page.wait_for_load_state("networkidle")
        visit.transfer_bytes = _SiteHandler.sent[0] - before
        visit.math_elements = page.locator("main .math").count()
        visit.typeset = page.locator("main mjx-container").count()
        prose = page.evaluate(_PROSE_JS)
        visit.raw_math = [
            prose[max(m.start() - 30, 0) : m.end() + 30] for m in RAW_MATH.finditer(prose)
        ]
        visit.images = page.evaluate(_IMAGES_JS)
        page.screenshot(path=shot)
        _axe(page, visit)
        _check_solutions(page, visit, shot)
        if page.locator("main .cl-explorer").count():
            page.locator("main .cl-explorer").first.screenshot(
                path=shot.with_name(shot.stem + "-explorer.png")
            )
        display = page.locator("main div.math").first
        if display.count():
            display.scroll_into_view_if_needed()
            page.screenshot(path=shot.with_name(shot.stem + "-math.png"))
    finally:
        context.close()
    visit.seconds = time.perf_counter() - started
    return visit


@pytest.fixture(scope="module")
def visits(browser, server) -> dict[str, Visit]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {name: _visit(browser, server, name) for name in toc_pages()}
    heaviest = max(seen.values(), key=lambda v: v.transfer_bytes)
    lines = ["", "page weights, uncached: transferred (gzip, as a static host sends) / on disk"]
    lines += [
        f"  {v.transfer_bytes / 1e6:5.2f} MB / {v.uncompressed_bytes / 1e6:5.2f} MB"
        f"  {v.seconds:5.1f} s  {v.page}"
        for v in seen.values()
    ]
    lines.append(
        f"  heaviest: {heaviest.page}, {heaviest.transfer_bytes / 1e6:.2f} MB transferred "
        f"({heaviest.uncompressed_bytes / 1e6:.2f} MB on disk)"
    )
    (SHOTS / "page-weights.txt").write_text("\n".join(lines[1:]) + "\n")
    print("\n".join(lines))
    return seen


PAGES = toc_pages() if SITE is not None else []


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors_or_failed_requests(visits, name):
    visit = visits[name]
    assert visit.blocked == [], f"{name} asked for outside resources: {visit.blocked}"
    assert visit.failed_requests == [], visit.failed_requests
    assert visit.console_errors == [], visit.console_errors


@pytest.mark.parametrize("name", PAGES)
def test_equations_are_typeset(visits, name):
    visit = visits[name]
    assert visit.raw_math == [], f"{name} shows math source: {visit.raw_math[:5]}"
    if visit.math_elements:
        assert visit.typeset >= visit.math_elements, (
            f"{name}: {visit.math_elements} math elements, {visit.typeset} typeset by MathJax"
        )


@pytest.mark.parametrize("name", PAGES)
def test_every_figure_is_shown_with_alt_text(visits, name):
    for image in visits[name].images:
        assert image["loaded"], f"{name}: image {image['src']} did not load"
        assert (image["alt"] or "").strip(), f"{name}: image {image['src']} has no alt text"


@pytest.mark.parametrize("name", PAGES)
def test_solutions_start_collapsed_and_open_on_click(visits, name):
    visit = visits[name]
    assert visit.solutions_hidden_at_first == visit.solutions, (
        f"{name}: {visit.solutions - visit.solutions_hidden_at_first} solutions shown at first"
    )
    assert visit.solutions_opened == visit.solutions


def test_the_chapters_have_solutions_to_open(visits):
    assert sum(v.solutions for v in visits.values()) >= 5


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violations(visits, name):
    assert visits[name].serious_violations == [], "\n".join(visits[name].serious_violations)


@pytest.mark.parametrize("name", PAGES)
def test_page_weighs_at_most_3_mb(visits, name):
    assert 0 < visits[name].transfer_bytes <= MAX_PAGE_BYTES, visits[name].transfer_bytes


def test_every_page_has_a_screenshot(visits):
    for name in visits:
        assert (SHOTS / f"{name.replace('/', '-')}.png").stat().st_size > 10_000


def test_search_finds_chapter_3(browser, server):
    """The search page, built from the site's own index, finds a word of Chapter 3's text."""
    page, blocked, _ = offline_page(browser)
    context = page.context
    page.goto(f"{server}/search.html?q=banner", wait_until="load")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    page.screenshot(path=SHOTS / "search.png")
    context.close()
    assert any("03-county-c" in (h or "") for h in hrefs), hrefs
    assert blocked == []


def test_the_static_model_explorer_shows_the_models_values(browser, server):
    """On Chapter 5, moving the explorer's sliders shows the exact cancellation probabilities
    that consentlib.model computes at those settings."""
    from dataclasses import replace

    from consentlib import model

    page, blocked, errors = offline_page(browser)
    context = page.context
    page.goto(f"{server}/{EXPLORER_PAGE}.html", wait_until="load")
    explorer = page.locator("main .cl-explorer")
    assert explorer.count() == 1
    sliders = explorer.locator("input[type=range]")
    labels = [explorer.locator("label").nth(i).inner_text() for i in range(sliders.count())]
    assert [label[0] for label in labels] == ["δ", "K", "η"]
    sliders.nth(0).fill(sliders.nth(0).get_attribute("max"))  # the largest delta
    sliders.nth(1).fill("0")  # the smallest K
    shown = [float(v) for v in explorer.locator("output").all_inner_texts()]
    readout = explorer.locator(".cl-explorer-readout").inner_text()
    explorer.screenshot(path=SHOTS / "explorer-moved.png")
    context.close()
    assert errors == [] and blocked == []
    params = replace(
        model.ConsentModel(),
        tolerance_effect=shown[0],
        career_cost=shown[1],
        observation_noise=shown[2],
    )
    expected = "; ".join(
        f"{name}: {model.cancel_probability(params, tau, tau_hat):.3f}"
        for name, (tau, tau_hat) in model.SCENARIOS.items()
    )
    assert readout == expected


def test_the_site_works_from_a_local_folder(browser):
    """Opened as files, with nothing served and every outside request blocked, a chapter with
    equations still typesets them and loads everything it asks for."""
    page, blocked, _ = offline_page(browser)
    context = page.context
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto((SITE / f"{EXPLORER_PAGE}.html").as_uri(), wait_until="load")
    _wait_for_math(page)
    typeset = page.locator("main mjx-container").count()
    raw = RAW_MATH.findall(page.evaluate(_PROSE_JS))
    # index.html sends the reader on to the preface with a meta refresh: wait for that page,
    # since a screenshot taken mid-redirect fails.
    page.goto((SITE / "index.html").as_uri(), wait_until="load")
    page.wait_for_url("**/book/preface.html")
    page.wait_for_load_state("load")
    page.screenshot(path=SHOTS / "index-from-files.png")
    context.close()
    assert blocked == [] and failed == []
    assert typeset > 50 and raw == []
