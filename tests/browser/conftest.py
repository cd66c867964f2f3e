"""Browser tests: one Debian chromium per session, a fresh context per test, screenshots for review.

pytest-playwright is installed, but its ``browser``/``context``/``page`` fixtures would launch a
browser Playwright downloads itself; the fixtures below replace them and drive /usr/bin/chromium.
Pages are served by pytest-django's ``live_server`` (a transactional database; the autouse
fixture in ``tests/conftest.py`` puts the reference data back after each flush).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# The Playwright sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told it is safe (it is: the loop only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """What went wrong while pages loaded: HTTP errors for assets, failed requests, JS errors."""

    def __init__(self):
        self.bad_responses: list[str] = []
        self.failed_requests: list[str] = []
        self.js_errors: list[str] = []

    def watch(self, context: BrowserContext) -> None:
        context.on(
            "response",
            lambda r: (
                self.bad_responses.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )
        context.on("requestfailed", self._failed)
        context.on("weberror", lambda e: self.js_errors.append(str(e.error)))
        # A script or style the Content-Security-Policy blocked is a broken page too.
        context.on(
            "console",
            lambda m: self.js_errors.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def _failed(self, request) -> None:
        # A poll in flight when the page navigates (the notification bell's count) is aborted by
        # the browser, not refused by the server: not a problem. Real failures (refused, reset,
        # DNS) and error responses are.
        if "ERR_ABORTED" in str(request.failure):
            return
        self.failed_requests.append(f"{request.failure} {request.url}")

    def assert_none(self) -> None:
        assert self.bad_responses == [], "assets answered with an error"
        assert self.failed_requests == [], "requests failed"
        assert self.js_errors == [], "uncaught JavaScript errors"


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser: Browser, page_problems: PageProblems) -> BrowserContext:
    # English browser; the journey switches to Chinese with the page's own button.
    ctx = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    page_problems.watch(ctx)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "customer-list", "en")`` saves
    ``test-artifacts/screenshots/<test>/<nn>-customer-list.en.png`` (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.originalname)
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    counter = iter(range(1, 100))

    def take(page: Page, name: str, lang: str) -> Path:
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        path = folder / f"{next(counter):02d}-{name}.{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def assert_assets_loaded():
    """Bootstrap's CSS and JS and htmx really ran on the page (served by WhiteNoise's finders)."""

    def check(page: Page) -> None:
        loaded = page.evaluate(
            """() => ({
                bootstrap: typeof window.bootstrap === "object",
                htmx: typeof window.htmx === "object",
                sheets: [...document.styleSheets].map(s => s.href || "").filter(Boolean),
                navbar: getComputedStyle(document.querySelector("nav.navbar")).display,
            })"""
        )
        assert loaded["bootstrap"], "bootstrap.bundle.min.js did not run"
        assert loaded["htmx"], "htmx.min.js did not run"
        for name in ("vendor/bootstrap.min.css", "vendor/bootstrap-icons.min.css", "showroom/app.css"):
            assert any(href.endswith(name) for href in loaded["sheets"]), f"{name} not loaded"
        assert loaded["navbar"] == "flex", "Bootstrap's CSS is not applied"

    return check
