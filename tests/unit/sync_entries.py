"""Outbox entries as a phone sends them, for the sync tests."""
import datetime
import uuid


def phone_time(minutes_ago=30):
    """A time on the phone, with its offset, as the outbox writes it."""
    zone = datetime.timezone(datetime.timedelta(hours=-7))
    moment = datetime.datetime.now(zone) - datetime.timedelta(minutes=minutes_ago)
    return moment.replace(microsecond=0).isoformat()


def entry(case, user, **overrides):
    """One outbox entry for case, logged on the phone by user."""
    data = {"uuid": str(uuid.uuid4()), "user_id": user.id, "case_id": case.id,
            "method": "home_visit", "outcome": "reached_parent", "reasons": ["transportation"],
            "people_present": ["parent"], "notes": "Spoke with the mother at the door.",
            "follow_up_on": "", "interpreter_used": False, "language": "",
            "latitude": None, "longitude": None, "siblings": [],
            "occurred_at": phone_time(), "saved_at": phone_time(29)}
    data.update(overrides)
    return data
