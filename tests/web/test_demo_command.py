"""The README's first command: `flask --app fieldapp demo` seeds, prints the logins and serves."""
import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_prints_logins_and_serves_the_login_page(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
           "FIELDAPP_ENV": "development"}  # as the README's command says
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    server = subprocess.Popen([flask, "--app", "fieldapp", "demo", "--students", "30", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status, deadline = None, time.time() + 60
        while status is None and time.time() < deadline and server.poll() is None:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).status
            except OSError:
                time.sleep(0.5)
        assert status == 200, "the demo command did not serve the login page"
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "officer@demo.fieldapp.test" in output and "field-demo-2026!" in output


def test_the_demo_runs_background_jobs_itself(tmp_path):
    """A case report asked for on the demo's own server is done by its own workers."""
    import http.cookiejar
    import re
    import urllib.parse
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
           "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.db'}"}
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    server = subprocess.Popen([flask, "--app", "fieldapp", "demo", "--students", "60", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(path):
        with browser.open(base + path, timeout=30) as answer:
            return answer.geturl(), answer.read().decode()

    def post(path, data):
        body = urllib.parse.urlencode(data).encode()
        with browser.open(base + path, data=body, timeout=60) as answer:
            return answer.geturl(), answer.read().decode()

    def token(html):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    try:
        deadline = time.time() + 90
        while time.time() < deadline and server.poll() is None:
            try:
                _, page = get("/login")
                break
            except OSError:
                time.sleep(0.5)
        post("/login", {"email": "officer@demo.fieldapp.test", "password": "field-demo-2026!",
                        "csrf_token": token(page)})
        _, caseload = get("/caseload")
        student = re.search(r'href="/students/(\d+)"', caseload).group(1)
        _, record = get(f"/students/{student}")
        case = re.search(r'href="/cases/(\d+)/paperwork"', record).group(1)
        _, paperwork = get(f"/cases/{case}/paperwork")
        key = re.search(r'name="job_key" value="([^"]+)"', paperwork).group(1)
        job_url, _ = post(f"/cases/{case}/report", {"csrf_token": token(paperwork), "job_key": key,
                                                    "recipient": "sarb"})
        assert "/jobs/" in job_url
        deadline, page = time.time() + 120, ""
        while time.time() < deadline and "Ready." not in page:
            time.sleep(1)
            _, page = get(urllib.parse.urlparse(job_url).path)
        assert "Ready." in page and "Open the document" in page
    finally:
        server.terminate()
        server.communicate(timeout=20)
