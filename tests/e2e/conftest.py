"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test loads is checked with axe-core (WCAG 2.1 A and AA); a test fails
if it loads a page that was not checked. A failing test leaves a screenshot under
var/test-results/.
"""

import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD

# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls in
# fixtures would otherwise be refused. The live server answers from its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("STROM_CHROMIUM", "/usr/bin/chromium")
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS = Path(os.environ.get("STROM_VAR_DIR", "var")) / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def e2e_demo(transactional_db, live_server):
    from tests.conftest import _load_demo

    return _load_demo()


class AccessibilityError(AssertionError):
    pass


class UI:
    """A user at the browser. Every navigation goes through here and is checked by axe."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.loaded = []
        self.checked = set()
        page.on("load", lambda p: self.loaded.append(p.url))

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check_accessibility()

    def login(self, username, password=DEMO_PASSWORD, *, second_factor=True):
        self.goto("/accounts/login/")
        self.page.get_by_label("User name").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.submit("Sign in")
        if second_factor and "/accounts/two-factor/" in self.page.url:
            # Demo accounts share the demo authenticator key (strom.twofactor).
            from django_otp.plugins.otp_totp.models import TOTPDevice

            from strom.twofactor import DEMO_TOTP_KEY, current_code

            self.page.get_by_label("Code").fill(current_code(TOTPDevice(key=DEMO_TOTP_KEY)))
            self.submit("Sign in")
            if "/accounts/two-factor/" in self.page.url:
                # A code is accepted once: signing in twice within 30 seconds needs the next.
                self.page.wait_for_timeout((30 - time.time() % 30 + 1) * 1000)
                self.page.get_by_label("Code").fill(current_code(TOTPDevice(key=DEMO_TOTP_KEY)))
                self.submit("Sign in")

    def submit(self, button_name):
        """Click a button or link that loads a new page, and check that page."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button_name).first.click()
        self.check_accessibility()

    def follow(self, link_name):
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link_name).first.click()
        self.check_accessibility()

    def check_accessibility(self):
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE_SOURCE)
        result = self.page.evaluate(
            "async (tags) => { const r = await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}}); "
            "return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
            "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})); }",
            WCAG_TAGS,
        )
        self.checked.add(self.page.url)
        if result:
            lines = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result]
            raise AccessibilityError(
                f"WCAG 2.1 AA violations on {self.page.url}:\n" + "\n".join(lines)
            )

    def unchecked_pages(self):
        return [url for url in self.loaded if url not in self.checked]


@pytest.fixture
def ui(request, browser, live_server, e2e_demo):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    user_interface = UI(page, live_server.url)
    yield user_interface
    failed = any(
        getattr(request.node, f"report_{when}", None)
        and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    context.close()
    if not failed:
        assert not user_interface.unchecked_pages(), (
            f"pages loaded without an accessibility check: {user_interface.unchecked_pages()}"
        )
