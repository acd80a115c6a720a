"""Locust users for bench/bench_load.py (run by it; not on its own).

Officers look students up, open their pages, log contacts and sync 20
entries from the phone; front offices look up, open pages and log calls;
supervisors read the district's contact log and the worklist. The floor
user asks only the trivial health check. Every request's time is written
to LOAD_OUT when the run stops, and bench_load.py reads the figures from it.
"""
import datetime
import itertools
import json
import os
import random
import time
import uuid
from zoneinfo import ZoneInfo

from locust import HttpUser, LoadTestShape, constant, events, task

from load_entries import CSRF, entries

PLAN = json.load(open(os.environ["LOAD_PLAN"], encoding="utf-8"))
STEPS = json.loads(os.environ.get("LOAD_STEPS", "[[2, 20]]"))  # [users, seconds] per step
SEEN = []  # (started at, name, milliseconds, ok)
COUNTERS = {role: itertools.count() for role in ("officer", "front_office", "supervisor")}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time=None, **kw):
    SEEN.append((start_time or time.time(), name, response_time, exception is None))


@events.quitting.add_listener
def _write(environment, **kw):
    with open(os.environ["LOAD_OUT"], "w", encoding="utf-8") as out:
        json.dump(SEEN, out)


class Steps(LoadTestShape):
    """Users rise step by step: each step holds its number of users for its seconds."""

    def tick(self):
        elapsed, start = self.get_run_time(), 0
        for users, seconds in STEPS:
            if elapsed < start + seconds:
                return users, users
            start += seconds
        return None


class Person(HttpUser):
    abstract = True
    wait_time = constant(0)  # closed loop: each user sends its next request when answered
    role = ""

    def on_start(self):
        people = PLAN["people"][self.role]
        self.person = people[next(COUNTERS[self.role]) % len(people)]
        self.cases = PLAN["cases"][str(self.person["school"])]
        page = self.client.get("/login", name="login")
        token = CSRF.search(page.text).group(1)
        self.client.post("/login", data={"email": self.person["email"], "password": PLAN["password"],
                                         "csrf_token": token}, name="login", allow_redirects=False)
        self.token = CSRF.search(self.client.get("/students", name="login").text).group(1)

    def look_up(self):
        typed = random.choice(self.cases)["typed"]
        self.client.get("/students", params={"q": typed}, headers={"HX-Request": "true"},
                        name="look-up")

    def student_page(self):
        self.client.get(f"/students/{random.choice(self.cases)['student']}", name="student page")

    def log_contact(self, method):
        case = random.choice(self.cases)
        # The form reads the time on the school's clock (a time ahead of it is refused as in the future).
        clock = ZoneInfo(PLAN["zones"][str(self.person["school"])])
        now = (datetime.datetime.now(clock) - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
        self.client.post(f"/cases/{case['case']}/contacts/new", name="log a contact", allow_redirects=False,
                         data={"csrf_token": self.token, "uuid": str(uuid.uuid4()), "method": method,
                               "outcome": "no_answer", "notes": "Load test: no answer.", "occurred_at": now})


class Officer(Person):
    weight, role = 6, "officer"

    @task(5)
    def look_up_task(self):
        self.look_up()

    @task(4)
    def student_page_task(self):
        self.student_page()

    @task(2)
    def home_visit(self):
        self.log_contact("home_visit")

    @task(1)
    def caseload(self):
        self.client.get("/caseload", name="caseload")

    @task(1)
    def sync(self):
        body = {"device": {"id": f"load-{self.person['id']}"}, "entries": entries(self.person, self.cases, 20)}
        self.client.post("/api/sync", json=body, headers={"X-CSRFToken": self.token}, name="sync 20")


class FrontOffice(Person):
    weight, role = 3, "front_office"

    @task(4)
    def look_up_task(self):
        self.look_up()

    @task(3)
    def student_page_task(self):
        self.student_page()

    @task(2)
    def phone_call(self):
        self.log_contact("phone")

    @task(1)
    def office(self):
        self.client.get("/office", name="front office list")


class Supervisor(Person):
    weight, role = 1, "supervisor"

    @task(2)
    def contact_log(self):
        self.client.get("/supervisor/contacts", name="district contact log")

    @task(1)
    def worklist(self):
        self.client.get("/worklist", params={"school": self.person["school"]}, name="worklist")

    @task(2)
    def student_page_task(self):
        self.student_page()


class Floor(HttpUser):
    """The framework's floor: the cheapest answer the same server gives."""
    wait_time = constant(0)
    # Run only when named (bench_load.py names the classes of each run); Locust
    # 2.47 drops a class of weight 0 even when it is named, and then has no user.
    weight = 1

    @task
    def healthz(self):
        self.client.get("/healthz", name="floor")
