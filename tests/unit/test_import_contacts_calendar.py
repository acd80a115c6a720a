"""The contacts file (addresses, phones, languages) and school calendars."""
import csv
import datetime
import io
import os
import shutil

import pytest

from fieldapp.imports.calendar import import_calendar
from fieldapp.imports.contacts import import_contacts, language_code
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import Guardian, SchoolCalendar, Student
from fieldapp.rules.calendar import calendar_for
from fieldapp.students.attendance import school_days

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
D = datetime.date


@pytest.fixture
def roster(app):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied


def test_contacts_fill_addresses_phones_and_languages(roster):
    with open(os.path.join(DATA, "contacts.csv"), "rb") as stream:
        report = import_contacts(stream, "contacts.csv")
    assert report.outcome == "applied", report.problems
    maria = Student.get(Student.sourced_id == "stu-1001")
    assert maria.address == "12 Elm St, Riverside, CA 92501" and maria.home_language == "es"
    ana = Guardian.get(Guardian.sourced_id == "par-1")
    assert (ana.alt_phone, ana.email, ana.preferred_language) == ("(555) 201-7777", "ana@example.org", "es")
    hoa = Guardian.get(Guardian.sourced_id == "par-3")
    assert hoa.preferred_language == "vi" and hoa.phone == "(555) 300-1212"  # empty cell keeps it
    with open(os.path.join(DATA, "contacts.csv"), "rb") as stream:
        assert import_contacts(stream, "contacts.csv").counts == {}  # twice: nothing changes


def test_contact_problems_are_reported_by_line(roster):
    text = ("sourcedId,phone,email,preferredLanguage\n"
            "stu-404,(555) 201-3344,,\npar-1,12,,\npar-2,,not-an-email,\npar-3,,,Hmong\n")
    report = import_contacts(io.BytesIO(text.encode()), "contacts.csv")
    assert report.outcome == "refused"
    assert [(line, reason.split(" ")[0]) for _, line, reason in report.problems] == \
        [(2, "unknown"), (3, "phone"), (4, "email")]
    assert language_code("Hmong") == "other" and language_code("es-MX") == "es"
    skipped = import_contacts(io.BytesIO(text.encode()), "contacts.csv", skip_bad_rows=True)
    assert skipped.outcome == "applied_with_skips"
    assert Guardian.get(Guardian.sourced_id == "par-3").preferred_language == "other"
    assert skipped.counts["languages stored as Other (Hmong)"] == 1


def test_a_deactivated_students_contact_row_is_a_problem_not_an_update(roster):
    """A student no longer active (gone from the roster, or added by an import
    undone since) is not updated by a contacts row, which says why: the clerk
    would otherwise fill in a record nobody sees, and attendance rows are
    refused the same way."""
    Student.update(active=False).where(Student.sourced_id == "stu-1001").execute()
    text = "sourcedId,phone\nstu-1001,(555) 201-3344\n"
    report = import_contacts(io.BytesIO(text.encode()), "contacts.csv")
    assert report.outcome == "refused"
    assert [(line, reason) for _, line, reason in report.problems] == [(2, (
        "student 'stu-1001' is deactivated (no longer in the roster, or the import that added them was undone): "
        "contact details are kept for active students only"))]
    assert Student.get(Student.sourced_id == "stu-1001").phone != "(555) 201-3344"


def test_a_contact_value_too_long_to_keep_is_a_row_problem_not_cut_short(roster):
    long_email = "a" * 195 + "@example.org"  # cut at 200 it would be "aaaa…@exam", no address at all
    text = ("sourcedId,address,email\n"
            f"par-1,,{long_email}\n"
            f"par-2,{'12 Elm St ' * 40},\n")
    report = import_contacts(io.BytesIO(text.encode()), "contacts.csv")
    assert report.outcome == "refused"
    assert [(line, reason) for _, line, reason in report.problems] == \
        [(2, "email: longer than 200 characters"), (3, "address: longer than 300 characters")]
    assert Guardian.get(Guardian.sourced_id == "par-1").email != long_email[:200]


def test_a_contacts_files_row_problems_read_in_the_readers_language(app, roster):
    """A Spanish administrator read the email and too-long problems of a contacts file in English."""
    from flask_babel import force_locale
    from fieldapp.web.i18n import file_words
    text = ("sourcedId,address,phone,email,preferredLanguage\n"
            "par-1,,,not-an-email,\n"
            f"par-2,,,,{'x' * 41}\n"
            f"par-3,{'12 Elm St ' * 40},{'5' * 41},,\n")
    report = import_contacts(io.BytesIO(text.encode()), "contacts.csv")
    assert [(line, str(why)) for _, line, why in report.problems] == [
        (2, "email 'not-an-email' is not an email address: give one like ana@example.org"),
        (3, "preferredLanguage: longer than 40 characters"),
        (4, "longer than their columns hold: address (at most 300 characters), phone (at most 40 characters)")]
    with app.test_request_context(), force_locale("es"):
        assert [file_words(why) for _, _, why in report.problems] == [
            "email 'not-an-email' no es una dirección de correo electrónico: dé una como ana@example.org",
            "preferredLanguage: más de 40 caracteres",
            "más largo de lo que admiten sus columnas: address (como máximo 300 caracteres), phone (como máximo "
            "40 caracteres)"]


def test_a_contacts_file_without_contact_columns_is_refused(roster):
    report = import_contacts(io.BytesIO(b"sourcedId,adress\nstu-1001,12 Elm\n"), "contacts.csv")
    assert report.outcome == "refused" and "'adress' (did you mean 'address'?)" in report.message


def test_the_calendar_sets_school_days_for_the_district_and_one_school(roster):
    with open(os.path.join(DATA, "calendar-2025-26.csv"), "rb") as stream:
        report = import_calendar(stream, "calendar-2025-26.csv")
    assert report.outcome == "applied", report.problems
    district = calendar_for(None, D(2025, 10, 1))
    assert not district.assumed and district.first_day == D(2025, 8, 18)
    assert not district.is_school_day(D(2025, 11, 11)) and district.is_school_day(D(2025, 10, 10))
    lincoln = calendar_for(Student.get(Student.sourced_id == "stu-1001").school_id, D(2025, 10, 1))
    assert not lincoln.is_school_day(D(2025, 10, 10)) and lincoln.is_school_day(D(2026, 3, 14))
    assert (lincoln.first_day, lincoln.last_day) == (D(2025, 8, 18), D(2026, 6, 11))  # the district's
    assert len(lincoln.days) == len(district.days)  # one day off, one made up
    assert len(school_days(D(2025, 8, 18), D(2025, 8, 29))) == 10
    with open(os.path.join(DATA, "calendar-2025-26.csv"), "rb") as stream:
        import_calendar(stream, "again")
    assert SchoolCalendar.select().count() == 2  # replaced, not added


def test_an_ed_fi_calendar_listing_every_instructional_day_works(roster):
    rows = ["schoolId,date,calendarEvent,name"]
    day = D(2025, 8, 18)
    while day <= D(2025, 12, 19):
        if day.weekday() < 5 and day != D(2025, 9, 1):
            rows.append(f",{day},uri://ed-fi.org/CalendarEventDescriptor#Instructional day,")
        day += datetime.timedelta(days=1)
    rows.append(",2025-09-01,uri://ed-fi.org/CalendarEventDescriptor#Holiday,Labor Day")
    report = import_calendar(io.BytesIO("\n".join(rows).encode()), "calendar.csv")
    assert report.outcome == "applied", report.problems
    district = calendar_for(None, D(2025, 10, 1))
    assert (district.first_day, district.last_day) == (D(2025, 8, 18), D(2025, 12, 19))
    assert not district.is_school_day(D(2025, 9, 1))


def test_a_calendar_without_a_first_day_or_with_bad_rows_is_refused(roster):
    text = "schoolId,date,calendarEvent,name\n,2026-06-11,Last day,\n,2025-13-01,Holiday,\n,2025-09-01,Fiesta,\n"
    report = import_calendar(io.BytesIO(text.encode()), "calendar.csv")
    reasons = {line: reason for _, line, reason in report.problems}
    assert report.outcome == "refused"
    assert "13 is not a month" in reasons[3] and "unknown calendarEvent 'Fiesta'" in reasons[4]
    assert "has a Last day, 11 Jun 2026, but no First day" in reasons[2]
    assert SchoolCalendar.select().count() == 0


def test_a_calendar_name_longer_than_a_day_keeps_is_a_row_problem_not_cut_short(roster):
    rows = ["schoolId,date,calendarEvent,name",
            ",2025-08-18,First day,",
            f",2025-09-01,Holiday,{'Labor Day observed by the district and its unions ' * 6}",
            f",2025-11-11,Holiday,{'Veterans Day, observed ' * 6}".rstrip(),
            ",2026-06-05,Last day,"]
    report = import_calendar(io.BytesIO("\n".join(rows).encode()), "calendar.csv")
    assert report.outcome == "refused"
    assert [(line, reason) for _, line, reason in report.problems] == [(3, "name: longer than 255 characters")]


def test_phones_from_every_district_file_are_checked_and_kept_as_a_phone_typed_on_a_page(roster, tmp_path):
    """A page refuses "555-1234 call after 5" and keeps "(555)  201 3344" as "(555) 201 3344"; the contacts
    file kept both as written, and the roster stored any text at all as a phone."""
    from fieldapp.models import School
    text = ("sourcedId,phone,altPhone\n"
            "par-1,(555)  201   3344,+1 555 201 3344 x12\n"
            "par-2,555-1234 call after 5,\n")
    report = import_contacts(io.BytesIO(text.encode()), "contacts.csv", skip_bad_rows=True)
    assert [(line, str(why)) for _, line, why in report.problems] == [
        (3, "phone '555-1234 call after 5' is not a phone number: give 7 to 15 digits, like (555) 201-3344 or "
            "+1 555 201 3344 x12")]
    ana = Guardian.get(Guardian.sourced_id == "par-1")
    assert (ana.phone, ana.alt_phone) == ("(555) 201 3344", "+1 555 201 3344 x12")
    folder = tmp_path / "roster"
    shutil.copytree(os.path.join(DATA, "oneroster-bulk"), folder)

    def rewrite(name, changes):
        """Set cells of a file of the export: changes maps sourcedId -> {column: value}."""
        with open(folder / name, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        columns = list(rows[0]) + [c for c in ("metadata.phone",) if name == "orgs.csv" and c not in rows[0]]
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows({**row, **changes.get(row["sourcedId"], {})} for row in rows)
    rewrite("users.csv", {"stu-1001": {"phone": " 555  201 0001 "}, "stu-1002": {"phone": "n/a"},
                          "par-3": {"phone": "", "sms": "555 201 0003"}})
    rewrite("orgs.csv", {"sch-100": {"metadata.phone": "(555) 300-0000 ext. 4"},
                         "sch-200": {"metadata.phone": "call the office"}})
    report = import_oneroster(str(folder), "phones")
    assert report.applied, report.problems  # a phone that is no phone is left out, noted (test_import_details_left_out)
    notes = [str(note) for note in report.notes]
    assert "users.csv row 3: phone 'n/a' is not a phone: left out; the student is imported without it. To keep " \
           "one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12." in notes
    assert "orgs.csv row 4: metadata.phone 'call the office' is not a phone: left out; the school is imported " \
           "without it. To keep one, give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12." in notes
    assert Student.get(Student.sourced_id == "stu-1002").phone == ""
    assert Student.get(Student.sourced_id == "stu-1001").phone == "555 201 0001"
    assert Guardian.get(Guardian.sourced_id == "par-3").phone == "555 201 0003"
    assert School.get(School.sourced_id == "sch-100").phone == "(555) 300-0000 ext. 4"
