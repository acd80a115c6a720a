"""What each phone reports about its outbox when it syncs."""
import datetime

from ua_parser import parse as parse_user_agent

from fieldapp.db import Param, Prepared
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
    """Keep the phone's latest report (one row per phone), in one statement that
    a racing first report from the same phone cannot fail: the later write wins.
    Call it inside the batch's last transaction, so a sync commits once."""
    device_id, pending, oldest = report
    _KEEP_REPORT.run(device_id=device_id, user=user.id, pending=pending, oldest=oldest, now=now or utcnow(),
                     agent=(user_agent or "")[:200])


def _keeping_report():
    columns = {DeviceReport.user: "user", DeviceReport.pending: "pending",
               DeviceReport.oldest_pending_at: "oldest", DeviceReport.last_sync_at: "now",
               DeviceReport.user_agent: "agent"}
    values = {column: Param(name, column.db_value) for column, name in columns.items()}
    return DeviceReport.insert({DeviceReport.device_id: Param("device_id", DeviceReport.device_id.db_value),
                                **values}).on_conflict(conflict_target=[DeviceReport.device_id], update=values)


_KEEP_REPORT = Prepared(_keeping_report)  # on every phone's sync


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
