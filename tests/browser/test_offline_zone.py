"""A contact saved offline is read in the zone of the student's school, as the
server reads the same form online: a phone whose clock is on New York time,
working for a Honolulu school, keeps Honolulu's time and offset."""
import datetime
from zoneinfo import ZoneInfo

from fieldapp.models import Contact, School
from tests.browser.conftest import PHONE, login, shot
from tests.browser.test_offline import log_contact_on_form, ready_offline, wait_for_receipts

HONOLULU = "Pacific/Honolulu"


def test_a_contact_saved_offline_keeps_the_schools_time_not_the_phones(browser, live_server, world):
    School.update(time_zone=HONOLULU).where(School.id == world["school_a"].id).execute()
    context = browser.new_context(**PHONE, timezone_id="America/New_York")  # 5 hours ahead of Honolulu
    try:
        page = context.new_page()
        login(page, live_server, world["officer"])
        ready_offline(page)
        case = world["case_a"]
        context.set_offline(True)
        page.goto(f"{live_server}/students/{case.student_id}")
        page.click("text=Home visit")
        page.wait_for_selector("form.contact-form")
        # the kept form starts at the time at the school
        started = datetime.datetime.strptime(page.input_value("#occurred_at"), "%Y-%m-%dT%H:%M")
        there = datetime.datetime.now(ZoneInfo(HONOLULU)).replace(tzinfo=None)
        assert abs(started - there) < datetime.timedelta(minutes=3), (started, there)
        typed = (there - datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
        page.fill("#occurred_at", typed.strftime("%Y-%m-%dT%H:%M"))
        log_contact_on_form(page, "Evening visit, typed in Hawaii time.")
        page.wait_for_selector(".saved-on-phone")
        shown = typed.strftime("%b %-d, %-I:%M")  # as typed, not as the phone's clock reads it
        assert shown in page.inner_text(".saved-on-phone"), page.inner_text(".saved-on-phone")
        entry = page.evaluate("FieldOutbox.all()")[0]
        offset = "-10:00"  # Honolulu keeps no daylight saving time
        assert entry["occurred_at"] == typed.strftime("%Y-%m-%dT%H:%M:00") + offset
        shot(page, "saved-offline-in-school-zone")
        context.set_offline(False)
        wait_for_receipts(page, 1)
        stored = Contact.get(Contact.notes == "Evening visit, typed in Hawaii time.")
        assert stored.occurred_at == typed + datetime.timedelta(hours=10)  # kept in UTC
    finally:
        context.close()


def test_the_outbox_shows_its_times_on_the_schools_clock_and_names_it(browser, live_server, world):
    """The outbox showed when an entry was saved, its next try and its receipt on the
    phone's clock (New York), beside a contact stamped on the school's (Honolulu)."""
    School.update(time_zone=HONOLULU).where(School.id == world["school_a"].id).execute()
    context = browser.new_context(**PHONE, timezone_id="America/New_York")
    try:
        page = context.new_page()
        login(page, live_server, world["officer"])
        ready_offline(page)
        context.set_offline(True)
        page.goto(f"{live_server}/students/{world['case_a'].student_id}")
        page.click("text=Home visit")
        page.wait_for_selector("form.contact-form")
        log_contact_on_form(page, "Visit checked on the outbox's clock.")
        page.wait_for_selector(".saved-on-phone")
        page.goto(f"{live_server}/outbox")
        page.wait_for_selector("#outbox-list li")
        line = page.inner_text("#outbox-list li p.muted")
        saved = line.split("saved", 1)[1]
        hawaii, new_york = datetime.datetime.now(ZoneInfo(HONOLULU)), datetime.datetime.now(ZoneInfo("America/New_York"))
        assert "HST" in saved and f"{hawaii:%-I}:" in saved and f"{new_york:%-I}:" not in saved, line
        context.set_offline(False)
        wait_for_receipts(page, 1)
        page.wait_for_selector("#outbox-list .receipt")
        receipt = page.inner_text("#outbox-list .receipt")
        assert "HST" in receipt and f"{hawaii:%-I}:" in receipt.split("received", 1)[1], receipt
    finally:
        context.close()
