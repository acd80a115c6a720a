"""What the load bench's simulated phones send, shared by load_users.py
(Locust) and load_storm.py (plain threads). Imports nothing of Locust: its
gevent patches must not meet the storm's threads and requests."""
import datetime
import random
import re
import uuid

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def entries(person, cases, count):
    """A phone's queued contacts, as the outbox sends them."""
    start = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=3)
    return [{"uuid": str(uuid.uuid4()), "user_id": person["id"], "case_id": random.choice(cases)["case"],
             "method": "home_visit", "outcome": "notice_at_door", "reasons": ["transportation"],
             "people_present": [], "notes": f"Visit {i}: left a notice.", "follow_up_on": "",
             "interpreter_used": False, "language": "", "siblings": [], "latitude": None, "longitude": None,
             "occurred_at": (start + datetime.timedelta(minutes=i)).isoformat(),
             "saved_at": (start + datetime.timedelta(minutes=i, seconds=5)).isoformat()}
            for i in range(count)]
