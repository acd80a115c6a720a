"""What each phone reports about its outbox when it syncs."""
import datetime

from peewee import IntegrityError
from ua_parser import parse as parse_user_agent

from fieldapp.db import database
from fieldapp.messages import Message
from fieldapp.models import DeviceReport, User, utcnow
from fieldapp.numbers import whole_number
from fieldapp.sync import schema


def parse_report(device):
    """(device_id, pending, oldest_pending_at) from a phone's report, or None if unusable.

    A bad report never blocks the entries it came with; it is just not kept.
    """
    return schema.read_device(device) if isinstance(device, dict) else None


def record_report(user, report, user_agent="", now=None):
    """Keep the phone's latest report (one row per phone); return it."""
    device_id, pending, oldest = report
    now = now or utcnow()
    values = {"user": user, "pending": pending, "oldest_pending_at": oldest,
              "last_sync_at": now, "user_agent": (user_agent or "")[:200]}
    for _ in range(2):  # a racing first report from the same phone: update on the retry
        try:
            with database.atomic():
                updated = DeviceReport.update(**values).where(
                    DeviceReport.device_id == device_id).execute()
                if not updated:
                    DeviceReport.create(device_id=device_id, **values)
            break
        except IntegrityError:
            continue
    return DeviceReport.get(DeviceReport.device_id == device_id)


def waiting_devices(hours, now=None):
    """Phones whose oldest unsent entry has waited longer than `hours`, longest first."""
    now = now or utcnow()
    cutoff = now - datetime.timedelta(hours=hours)
    return list(DeviceReport.select(DeviceReport, User).join(User)
                .where((DeviceReport.pending > 0) & (DeviceReport.oldest_pending_at < cutoff))
                .order_by(DeviceReport.oldest_pending_at))


def parse_hours(value, default):
    """The waiting threshold a supervisor typed: whole hours 1-720, else the default."""
    text = str(value or "").strip()
    if not text:
        return default, None
    hours = whole_number(text, 1, 720)
    if hours is None:
        return default, Message("Give a whole number of hours from 1 to 720.")
    return hours, None


def phone_name(user_agent):
    """A phone's browser as a person names it, from its User-Agent header:
    'Android · Chrome Mobile', 'iOS · Mobile Safari'; '' when nothing is known.
    Parsed by ua-parser (the uap-core rules)."""
    parsed = parse_user_agent(user_agent or "")
    names = [part.family for part in (parsed.os, parsed.user_agent)
             if part is not None and part.family and part.family != "Other"]
    return " · ".join(names)
