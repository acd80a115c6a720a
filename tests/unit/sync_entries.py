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


def gen_conflict(contact, notes="A second version, from another phone."):
    """A conflict kept for a supervisor on contact: its UUID sent again with other notes."""
    import json
    from fieldapp.models import SyncConflict
    second = {"uuid": str(contact.uuid), "user_id": contact.author_id, "case_id": contact.case_id,
              "method": contact.method, "outcome": contact.outcome, "notes": notes,
              "reasons": contact.reason_list, "people_present": contact.people_list,
              "occurred_at": contact.occurred_at.isoformat() + "+00:00"}
    return SyncConflict.create(contact_uuid=contact.uuid, contact=contact, sender=contact.author_id,
                               payload=json.dumps(second, sort_keys=True),
                               payload_hash=uuid.uuid4().hex)
