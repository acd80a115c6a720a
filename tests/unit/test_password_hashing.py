"""Passwords are stored as argon2id at its full cost, and a log-in for an email
nobody has checks a password at the same cost. The suite hashes at the lightest
cost (tests/conftest.py), so this is checked in a process of its own, as the app
starts in production."""
import json
import os
import subprocess
import sys

SCRIPT = """
import json
from argon2 import extract_parameters
from fieldapp.accounts import login, passwords
made = extract_parameters(passwords.hash_password("correct-horse-battery-9"))
unknown = extract_parameters(login.DUMMY_HASH)
print(json.dumps([[p.type.name, p.time_cost, p.memory_cost, p.parallelism] for p in (made, unknown)]))
"""


def test_passwords_are_hashed_at_full_cost_and_an_unknown_email_costs_the_same():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    answer = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "FIELDAPP_ENV": "production"})
    assert answer.returncode == 0, answer.stderr
    made, unknown = json.loads(answer.stdout)
    kind, passes, memory_kib, lanes = made
    assert kind == "ID" and passes >= 3 and memory_kib >= 65536 and lanes >= 1, made
    assert unknown == made, "a log-in for an unknown email would answer sooner than for a known one"
