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
