"""Shared browser support for the tests that meet the book as a person does.

The site test (a reader's pages) and the notebook test (a student's JupyterLab) both drive
Debian's Chromium through Playwright for Python. ``make test`` installs both when they are
missing; a test that cannot start the browser fails with the reason, never skips.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest

#: Flags for a headless Chromium on a machine whose network reaches nothing but localhost.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (localhost, a local file, a data: or blob: URL).

    Examples
    --------
    >>> is_local("http://127.0.0.1:8000/index.html"), is_local("https://cdn.example.org/x.js")
    (True, False)
    >>> is_local("file:///srv/book/index.html"), is_local("file://example.org/share/x.js")
    (True, False)
    """
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return parsed.hostname in {None, "", "localhost"}
    if parsed.scheme in {"data", "blob", "about", "chrome-extension"}:
        return True
    return parsed.hostname in LOCAL_HOSTS


@contextmanager
def chromium() -> Iterator[object]:
    """Start Debian's Chromium under Playwright; fail the test, with the reason, if it cannot."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is not installed; `make test` installs it "
            "(apt-get install chromium, as root)."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - make test installs it
        pytest.fail(f"Playwright for Python is missing ({error}); `make test` installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def block_outside_requests(context, blocked: list[str]) -> None:
    """Abort every request that leaves localhost, recording its URL in ``blocked``."""

    def route(route_, request):
        if is_local(request.url):
            route_.continue_()
        else:
            blocked.append(request.url)
            route_.abort()

    context.route("**/*", route)


def offline_page(browser, **context_options) -> tuple[object, list[str], list[str]]:
    """A page in a new browser context whose requests outside localhost are blocked.

    Returns the page, the list of blocked URLs and the list of the page's uncaught JavaScript
    errors; both lists fill as the page runs. Close it with ``page.context.close()``.
    """
    context = browser.new_context(**context_options)
    blocked: list[str] = []
    block_outside_requests(context, blocked)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, blocked, errors
