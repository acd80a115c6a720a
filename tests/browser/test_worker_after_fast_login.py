"""A log-in answered at once (single sign-on, a fast server) sends the phone on to its
first page while the service worker, registered by the login page, is still
installing. That page must still come under the worker: else it works without it, and
with no signal a student opened from it is not the copy kept on the phone."""
import threading
import time

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.browser.test_offline import ready_offline
from tests.factories import PASSWORD


class FirstPageOnItsWay:
    """The app, with the network timed as on a fast log-in over a slow link: the
    worker's install ends only once the first page after the log-in has been asked for,
    and that page arrives only once the worker has taken charge."""

    def __init__(self, app, page_path, shell_path):
        self.app, self.page_path, self.shell_path = app, page_path, shell_path
        self.page_asked, self.worker_active = threading.Event(), threading.Event()
        self._held = set()
        self._lock = threading.Lock()

    def _first(self, path):
        with self._lock:
            if path in self._held:
                return False
            self._held.add(path)
            return True

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == self.page_path and self._first(path):
            self.page_asked.set()
            self.worker_active.wait(30)
        elif path == self.shell_path and self._first(path):
            self.page_asked.wait(30)
        return self.app(environ, start_response)


@pytest.fixture
def timed_server(app):
    timing = FirstPageOnItsWay(app, "/caseload", "/locked")
    server = make_server("127.0.0.1", 0, timing, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", timing
    timing.page_asked.set()
    timing.worker_active.set()
    server.shutdown()
    thread.join(5)


def test_the_first_page_after_a_fast_login_is_kept_working_offline(world, timed_server, phone):
    base, timing = timed_server
    page = phone.new_page()
    states = []
    cdp = phone.new_cdp_session(page)
    cdp.on("ServiceWorker.workerVersionUpdated", lambda e: states.extend(v["status"] for v in e["versions"]))
    cdp.send("ServiceWorker.enable")
    page.goto(f"{base}/login")
    page.fill("#email", world["officer"].email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]", no_wait_after=True)  # the page after it is held on its way
    deadline = time.monotonic() + 30
    while "activated" not in states and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert timing.page_asked.is_set() and "activated" in states, states
    timing.worker_active.set()
    page.wait_for_url(f"{base}/caseload")
    ready_offline(page, worker_within=5000)
    page.context.set_offline(True)
    student = world["student_a"]
    page.click(f"a[href='/students/{student.id}']")
    page.wait_for_url(f"**/students/{student.id}")
    expect(page.locator("#offline-banner")).to_contain_text("Offline. This is the copy saved on this phone")
    expect(page.locator("h1")).to_contain_text(student.last_name)
