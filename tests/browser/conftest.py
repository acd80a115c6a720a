"""Real headless Chromium (Debian's) against the app on a real local server."""
import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# bypass_csp: Playwright's polling wait_for_function evaluates a string in the
# page, which the app's Content-Security-Policy rightly forbids; the policy
# itself is checked in tests/browser/test_security_headers.py, without bypass.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True, "bypass_csp": True}
# FIELDAPP_TEST_SCREENSHOTS: another folder, for a run beside another (.ci/run
# runs both engines at once, and some tests read back the PDF they saved there).
SCREENSHOTS = os.environ.get("FIELDAPP_TEST_SCREENSHOTS") or \
    os.path.join(os.path.dirname(__file__), "..", "..", "screenshots")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The test app served over HTTP on a free local port, for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def phone(browser):
    """A phone-sized browser context (390x844, touch)."""
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def shot(page, name):
    """Save a screenshot (not committed) to look at before calling a screen done."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    # CSS-pixel scale: as sharp as needed to look at, and a quarter of the time to save.
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True, scale="css")


def login(page, base_url, user, password=None):
    from tests.factories import PASSWORD
    page.goto(f"{base_url}/login")
    page.fill("#email", user.email)
    page.fill("#password", password or PASSWORD)
    page.click("button[type=submit]")
    # A boosted login swaps the page in place: wait until the address says we left /login.
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("networkidle")
    # As on a phone a moment after logging in, the service worker the login page
    # registered is in charge before the test goes on: taking charge of a page
    # whose form is being sent (a tap in the first second after a first log-in,
    # on a busy machine) can lose that navigation, and the test would wait for it.
    page.evaluate("""async () => {
      const workers = navigator.serviceWorker;
      if (!workers || !(await workers.getRegistration())) return;
      await workers.ready;
      if (!workers.controller) await new Promise(done => {
        workers.addEventListener('controllerchange', done, {once: true});
        setTimeout(done, 15000);
      });
    }""")
