"""A `flask` command starts without what only documents and log-ins need:
the start of `flask worklist --json` hashed a password (64 MiB of memory)
and loaded WeasyPrint's font and text libraries, about a second and 70 MB
of every run whatever it listed."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The peak of the command's own memory (VmHWM): getrusage's ru_maxrss of a
# process started from a large one (the test run) carries the parent's peak.
START = """
import re, sys
from fieldapp import create_app
create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "test-secret-key-that-is-long-enough-123"})
with open("/proc/self/status") as status:
    peak_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))
print(int("weasyprint" in sys.modules), peak_kb // 1024)
"""


def test_the_app_starts_without_weasyprint_or_a_password_hash(database_url, migrated_app):
    done = subprocess.run([sys.executable, "-c", START, database_url], cwd=ROOT, capture_output=True,
                          text=True, check=True, env={**os.environ, "FIELDAPP_ENV": "test"})
    weasyprint_loaded, peak_mb = map(int, done.stdout.split())
    assert not weasyprint_loaded
    assert peak_mb < 160, f"{peak_mb} MB to start"  # 192 MB before, 119 MB after
