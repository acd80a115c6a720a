"""District files as Ed-Fi systems and the Ed-Fi Alliance's OneRoster mapping
write them: schools named by their code, hashed sourcedIds, one user per
student per school, OneRoster 1.0 column names, dates with a time part,
split days and Ed-Fi's tardy minutes."""
import datetime
import io
import os

import pytest

from fieldapp.imports import run
from fieldapp.imports.attendance import import_attendance
from fieldapp.imports.dates import DAY_FIRST, MONTH_FIRST, parse_date, why_not_a_date
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.models import AttendanceEvent, Guardian, ImportRun, School, Student, StudentGuardian
from fieldapp.rules.counting import tally
from fieldapp.rules.settings import RuleSettings

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
EDFI_ROSTER = os.path.join(DATA, "edfi-oneroster")
TODAY = datetime.date(2021, 12, 1)
HIGH, ELEMENTARY = "0c3b5a7e9d1f4b2a8c6e4d2f0a1b3c51", "a4e2c6b8d0f14a3c9e7b5d3f1a2c4e52"
LISA_HIGH, LISA_ELEMENTARY = "1b9e7c5a3f0d4b2e8a6c4e2d0f9b7a11", "2c0f8d6b4a1e4c3f9b7d5f3e1a0c8b12"
HIROSHI = "3d1a9e7c5b2f4d4a0c8e6a4f2b1d9c13"
HEADER = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration,minutesAbsent\n"


@pytest.fixture
def edfi_roster(app):
    report = import_oneroster(EDFI_ROSTER, "grand-bend")
    assert report.outcome == "applied", report.message or report.problems
    return report


def load(text, skip=False, date_order=""):
    return import_attendance(io.BytesIO(text.encode()), "attendance.csv", skip, TODAY, date_order=date_order)


def marks():
    return sorted((e.student.sourced_id[:4], e.school.identifier, e.date.isoformat(), e.category, e.minutes,
                   e.reason) for e in AttendanceEvent.select())


def test_the_ed_fi_mapping_roster_keeps_school_codes_guardians_and_says_what_it_left(edfi_roster):
    high = School.get(School.sourced_id == HIGH)
    assert high.identifier == "255901001" and high.name == "Grand Bend High School"
    assert School.get(School.sourced_id == ELEMENTARY).identifier == "255901107"
    # OneRoster 1.0's `agents` links Dana to both of Lisa's records.
    dana = Guardian.get(Guardian.email == "dana.woods@example.org")
    linked = {s.sourced_id for s in Student.select().join(
        StudentGuardian, on=(StudentGuardian.student == Student.id)).where(StudentGuardian.guardian == dana)}
    assert linked == {LISA_HIGH, LISA_ELEMENTARY}
    # Dates with a time part, as the mapping writes them.
    assert Student.get(Student.sourced_id == HIROSHI).birth_date == datetime.date(2005, 12, 1)
    assert not [name for name in edfi_roster.counts if "orgs not kept" in name]  # said once, in its note
    assert "orgs.csv: 1 department org not kept (not a school): Mathematics Department" in edfi_roster.notes
    notes = " ".join(edfi_roster.notes)
    # OneRoster's own columns the import does not read are said too (a disabled login is no student leaving)
    assert "users.csv: not read, ignored: username, userId, metadata.edfi.studentUSI" in notes
    assert "demographics.csv: not read, ignored: sex" in notes
    assert "enrollments.csv: not read, ignored: primary" in notes
    assert "orgs.csv: not read, ignored: metadata.edfi.localEducationAgencyCategory" in notes
    assert "academicSessions.csv" in notes
    assert "604822 (2 students)" in notes


def test_attendance_by_school_code_and_shared_identifier_lands_on_the_record_at_that_school(edfi_roster):
    with open(os.path.join(DATA, "edfi-attendance.csv"), "rb") as stream:
        report = import_attendance(stream, "edfi-attendance.csv", False, TODAY)
    assert report.outcome == "applied", report.problems
    assert marks() == [
        ("1b9e", "255901001", "2021-09-07", "unexcused", 360, ""),
        ("1b9e", "255901001", "2021-09-14", "tardy", 25, "Bus"),  # schoolAttendanceDuration: minutes
        ("2c0f", "255901107", "2021-11-09", "excused_partial", 180, "Dentist"),  # half of a split day
        ("3d1a", "255901001", "2021-11-09", "partial", 180, ""),
    ]
    notes = " ".join(report.notes)
    for column in ("schoolYear", "sessionName", "arrivalTime", "departureTime",
                   "educationalEnvironmentDescriptor"):
        assert column in notes
    assert "604822 (4 rows)" in notes and "2 absent shares of split days" in notes


def test_a_shared_identifier_that_the_school_does_not_settle_is_a_row_problem(edfi_roster):
    report = load(HEADER + "604822,255901999,2021-09-07,Unexcused Absence,1,\n")
    assert report.problems[0][2] == ("unknown school '255901999' (neither a school's sourcedId "
                                     "nor its identifier)")
    Student.update(school=School.get(School.sourced_id == HIGH)).where(
        Student.sourced_id == LISA_ELEMENTARY).execute()  # both records now at the high school
    report = load(HEADER + "604822,255901001,2021-09-07,Unexcused Absence,1,\n")
    assert report.outcome == "refused"
    assert "studentUniqueId '604822' is held by 2 students, 2 of them at this row's school" in \
        report.problems[0][2]
    # The sourcedId always names one record.
    assert load(HEADER.replace("studentUniqueId", "sourcedId")
                + f"{LISA_HIGH},255901001,2021-09-07,Unexcused Absence,1,\n").applied


def test_a_shared_identifier_no_school_settles_is_said_in_the_plural_forms_of_the_readers_language(app, edfi_roster):
    """"held by %(num)d students" was one sentence whatever the number: a language whose plural forms differ
    with it had no way to say it right."""
    from babel.messages.pofile import read_po
    from flask_babel import force_locale
    from fieldapp.web.i18n import translate
    Student.update(school=School.get(School.sourced_id == HIGH)).where(
        Student.sourced_id == LISA_ELEMENTARY).execute()
    why = load(HEADER + "604822,255901001,2021-09-07,Unexcused Absence,1,\n").problems[0][2]
    assert str(why) == ("studentUniqueId '604822' is held by 2 students, 2 of them at this row's school; give the "
                        "student's sourcedId")
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "translations", "es", "LC_MESSAGES",
                           "messages.po"), "rb") as handle:
        entry = read_po(handle).get(why.msgid)
    assert entry is not None and entry.pluralizable and all(entry.string), "a plural form in the catalog"
    with app.test_request_context(), force_locale("es"):
        assert translate(why) == ("studentUniqueId '604822' lo tienen 2 estudiantes, 2 de ellos en la escuela de "
                                  "esta fila; indique el sourcedId del estudiante")


def test_a_school_code_two_schools_share_is_refused_by_name(edfi_roster):
    School.update(identifier="255901001").where(School.sourced_id == ELEMENTARY).execute()
    report = load(HEADER + "604823,255901001,2021-09-07,Unexcused Absence,1,\n")
    assert "schoolId '255901001' is the code of 2 schools" in report.problems[0][2]
    assert load(HEADER + f"604823,{HIGH},2021-09-07,Unexcused Absence,1,\n").applied


@pytest.mark.parametrize("rows, problem", [
    ("604823,255901001,2021-11-09,In Attendance,1,\n604823,255901001,2021-11-09,Excused Absence,0.5,\n",
     "add up to 1.5 days"),
    ("604823,255901001,2021-11-09,In Attendance,0.5,\n604823,255901001,2021-11-09,Excused Absence,0.75,\n",
     "add up to 1.25 days"),
    ("604823,255901001,2021-11-09,Excused Absence,0.5,\n604823,255901001,2021-11-09,Excused Absence,0.75,\n",
     "add up to 1.25 days"),
    ("604823,255901001,2021-11-09,Excused Absence,0.5,\n604823,255901001,2021-11-09,Partial,,90\n",
     "conflicts with an earlier row"),
    # 0, as some systems write "not set": stored as a part of no minutes, the absence was lost
    ("604823,255901001,2021-11-08,Excused Absence,1,\n604823,255901001,2021-11-09,Unexcused Absence,0,\n",
     "an absence with eventDuration 0 names no part of the day"),
])
def test_split_days_that_do_not_add_up_are_row_problems(edfi_roster, rows, problem):
    report = load(HEADER + rows)
    assert report.outcome == "refused"
    assert [line for _, line, why in report.problems if problem in why] == [3]


def test_split_day_shares_count_as_the_state_counts_parts_of_days(edfi_roster):
    text = HEADER + ("604823,255901001,2021-11-09,In Attendance,0.5,\n"
                     "604823,255901001,2021-11-09,Unexcused Absence,0.5,\n"
                     "604823,255901001,2021-11-10,Excused Absence,0.5,\n"
                     "604823,255901001,2021-11-10,Unexcused Absence,0.25,\n"
                     "604823,255901001,2021-11-12,Unexcused Absence,0.05,\n")
    assert load(text).applied, "shares adding up to a day or less are accepted"
    events = [(e.date, e.category, e.minutes) for e in AttendanceEvent.select().order_by(AttendanceEvent.id)]
    assert events == [(datetime.date(2021, 11, 9), "partial", 180),
                      (datetime.date(2021, 11, 10), "excused_partial", 180),
                      (datetime.date(2021, 11, 10), "partial", 90),
                      (datetime.date(2021, 11, 12), "partial", 18)]
    california = RuleSettings(state="CA").version_on(TODAY)  # truant past 30 minutes unexcused
    assert tally(events, california).counted == [datetime.date(2021, 11, 9), datetime.date(2021, 11, 10)]
    washington = RuleSettings(state="WA").version_on(TODAY)
    counted = tally(events, washington).counted
    assert counted == sorted(d for d, c, m in events if c == "partial" and m >= washington.part_day_minutes)


def test_skipping_bad_rows_keeps_the_absent_half_of_a_split_day(edfi_roster):
    text = HEADER + ("604823,255901001,2021-11-09,In Attendance,0.5,\n"
                     "604823,255901001,2021-11-09,Unexcused Absence,0.5,\n"
                     "999999,255901001,2021-11-09,Unexcused Absence,1,\n")
    report = load(text, skip=True)
    assert report.outcome == "applied_with_skips"
    assert [(e.category, e.minutes) for e in AttendanceEvent.select()] == [("partial", 180)]


@pytest.mark.parametrize("raw, order, day", [
    ("2021-08-31", "", datetime.date(2021, 8, 31)),
    ("2021-08-31T00:00:00", "", datetime.date(2021, 8, 31)),
    ("2021-08-31 00:00:00.000", "", datetime.date(2021, 8, 31)),
    ("2021-08-31T07:30:00Z", "", datetime.date(2021, 8, 31)),
    ("2021-08-31T00:00:00-05:00", "", datetime.date(2021, 8, 31)),
    ("13/09/2019", "", datetime.date(2019, 9, 13)),  # reads one way only
    ("9/13/2019", "", datetime.date(2019, 9, 13)),
    ("05/09/2019", "", None),  # 9 May or 5 September: said by the import, or refused
    ("05/09/2019", DAY_FIRST, datetime.date(2019, 9, 5)),
    ("05/09/2019", MONTH_FIRST, datetime.date(2019, 5, 9)),
    ("13/09/2019", MONTH_FIRST, None),
    ("9/13/2019", DAY_FIRST, None),
    ("5/9/2019 0:00", DAY_FIRST, datetime.date(2019, 9, 5)),
    ("2021-08-31T25:00:00", "", None),
    ("2021-02-30", "", None),
    ("31.08.2021", "", None),
])
def test_dates_with_a_time_part_and_slash_dates_in_a_said_order(raw, order, day):
    assert parse_date(raw, order) == day


def test_ambiguous_slash_dates_are_refused_with_both_readings_unless_the_order_is_said(edfi_roster):
    text = HEADER + ("604823,255901001,13/09/2021,Unexcused Absence,1,\n"
                     "604823,255901001,05/10/2021,Unexcused Absence,1,\n")
    report = load(text)
    assert report.outcome == "refused"
    assert report.problems == [["attendance.csv", 3, why_not_a_date("05/10/2021", "eventDate")]]
    assert "could be May 10, 2021 (month first) or Oct 5, 2021 (day first)" in report.problems[0][2]
    assert AttendanceEvent.select().count() == 0
    assert load(text, date_order=DAY_FIRST).applied
    assert sorted(e.date for e in AttendanceEvent.select()) == [datetime.date(2021, 9, 13),
                                                                datetime.date(2021, 10, 5)]
    month_first = load(text, date_order=MONTH_FIRST)
    assert month_first.problems[0][1:] == [2, "eventDate '13/09/2021' is not a date read month first (use YYYY-MM-DD)"]


def test_the_date_order_is_kept_with_the_preview_and_used_when_it_is_applied(edfi_roster):
    text = HEADER + "604823,255901001,05/10/2021,Unexcused Absence,1,\n"
    imported, report = run("attendance", io.BytesIO(text.encode()), "day-first.csv", RuleSettings(),
                           today=TODAY, date_order=DAY_FIRST)
    assert imported.outcome == "applied" and imported.date_order == DAY_FIRST
    assert AttendanceEvent.get().date == datetime.date(2021, 10, 5)
    with pytest.raises(ValueError):
        run("attendance", io.BytesIO(text.encode()), "x.csv", RuleSettings(), today=TODAY, date_order="ymd")
    assert ImportRun.get_by_id(imported.id).notes == []


# Calendars -----------------------------------------------------------------

EVENT_URI = "uri://ed-fi.org/CalendarEventDescriptor#"
STANDARD_EVENTS = [  # Ed-Fi CalendarEventDescriptor: what each makes of a weekday
    ("Emergency day", "emergency", "no school"),
    ("Holiday", "holiday", "no school"),
    ("Instructional day", "instructional", "school day"),
    ("Make-up day", "make_up", "school day"),
    ("Non-instructional day", "non_instructional", "no school"),
    ("Other", "other", "neither"),
    ("Strike", "strike", "no school"),
    ("Student late arrival/early dismissal", "late_arrival_early_dismissal", "school day"),
    ("Teacher only day", "teacher_only", "no school"),
    ("Weather day", "weather", "no school"),
]


@pytest.mark.parametrize("name, code, meaning", STANDARD_EVENTS)
@pytest.mark.parametrize("spelling", ["{}", EVENT_URI + "{}",
                                      "http://ed-fi.org/Descriptor/CalendarEventDescriptor.xml/{}",
                                      "uri://grandbend.edu/CalendarEventDescriptor#{}"])
def test_every_standard_calendar_event_descriptor_is_read_in_every_spelling(name, code, meaning, spelling):
    from fieldapp.imports.calendar_events import MEANING, event_of
    assert event_of(spelling.format(name)) == (code, meaning)
    assert event_of(spelling.format(name.upper())) == (code, meaning)
    assert MEANING[code]


def calendar_rows(first, last, every=None, school="", year="2022", skip=()):
    """An Ed-Fi calendar export: one row per instructional weekday from first
    to last (those in skip left out), as CalendarDate rows."""
    rows, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in skip:
            rows.append(f"{school},{year},107SS022012,{day},{EVENT_URI}{every or 'Instructional day'}")
        day += datetime.timedelta(days=1)
    return rows


def load_calendar(rows, date_order=""):
    from fieldapp.imports.calendar import import_calendar
    text = "schoolId,schoolYear,calendarCode,date,calendarEventDescriptor\n" + "\n".join(rows) + "\n"
    return import_calendar(io.BytesIO(text.encode()), "CalendarDates.csv", date_order=date_order)


D = datetime.date
BREAKS = {D(2021, 9, 6)} | {D(2021, 11, 22) + datetime.timedelta(days=i) for i in range(5)} | \
    {D(2021, 12, 20) + datetime.timedelta(days=i) for i in range(12)} | \
    {D(2022, 1, 17), D(2022, 2, 21)} | {D(2022, 3, 14) + datetime.timedelta(days=i) for i in range(5)} | \
    {D(2022, 4, 15)}


@pytest.mark.parametrize("name, code, meaning", STANDARD_EVENTS)
def test_each_event_on_a_weekday_of_a_days_off_calendar_means_what_it_says(edfi_roster, name, code, meaning):
    from fieldapp.rules.calendar import calendar_for
    rows = [f",2022,,2021-08-23,{EVENT_URI}Instructional day", ",2022,,2021-08-23,First day",
            ",2022,,2022-05-27,Last day", f",2022,,2021-10-13,{EVENT_URI}{name}",
            f",2022,,2021-10-16,{EVENT_URI}{name}"]  # a Wednesday and a Saturday
    report = load_calendar(rows)
    assert report.outcome == "applied", report.problems
    district = calendar_for(None, D(2021, 10, 13))
    weekday_school = meaning != "no school"  # Other leaves the weekday a school day
    saturday_school = meaning == "school day"
    assert (district.is_school_day(D(2021, 10, 13)), district.is_school_day(D(2021, 10, 16))) == \
        (weekday_school, saturday_school)
    assert "District 2021-22: lists days off" in "\n".join(report.notes)


@pytest.mark.parametrize("name, code, meaning", STANDARD_EVENTS)
def test_each_event_on_a_weekday_of_an_instructional_listing_means_what_it_says(edfi_roster, name, code, meaning):
    from fieldapp.rules.calendar import calendar_for
    day = D(2021, 10, 13)
    rows = calendar_rows(D(2021, 8, 23), D(2022, 5, 27), skip=BREAKS | {day})
    rows.append(f",2022,107SS022012,{day},{EVENT_URI}{name}")
    report = load_calendar(rows)
    assert report.outcome == "applied", report.problems
    district = calendar_for(None, day)
    assert district.is_school_day(day) == (meaning == "school day")  # Other: not listed, no school
    assert "District 2021-22: lists instructional days" in "\n".join(report.notes)


def test_a_calendar_listing_instructional_days_makes_unlisted_weekdays_days_off(edfi_roster):
    from fieldapp.rules.calendar import calendar_for
    rows = calendar_rows(D(2021, 8, 23), D(2022, 5, 27), school="255901001", skip=BREAKS)
    rows.append(f"255901001,2022,107SS022012,2021-12-03,{EVENT_URI}Student late arrival/early dismissal")
    rows.append(f"255901001,2022,107SS022012,2021-12-03,{EVENT_URI}Other")
    rows.append(f"255901001,2022,107SS022012,2022-02-05,{EVENT_URI}Make-up day")  # a Saturday
    rows += [",2022,,2021-08-16,First day", ",2022,,2022-06-10,Last day"]
    report = load_calendar(rows)
    assert report.outcome == "applied", report.problems
    high = calendar_for(School.get(School.identifier == "255901001").id, D(2021, 10, 1))
    listed = sum(1 for r in rows if r.startswith("255901001") and "Instructional day" in r)
    assert len(high.days) == listed + 1 == 177  # not every weekday from August to May (200)
    assert not high.is_school_day(D(2021, 9, 6)) and not high.is_school_day(D(2021, 12, 22))
    assert high.is_school_day(D(2021, 12, 3)) and high.is_school_day(D(2022, 2, 5))
    assert (high.first_day, high.last_day) == (D(2021, 8, 23), D(2022, 5, 27))
    notes = "\n".join(report.notes)
    assert ("Grand Bend High School 2021-22: lists instructional days; school year 23 Aug 2021 to "
            "27 May 2022, 177 school days (24 weekdays without school, 1 weekend day with school)") in notes
    assert "Student late arrival/early dismissal ×1: a school day, shortened" in notes
    assert "Other ×1: neither" in notes
    assert "District 2021-22: lists days off; school year 16 Aug 2021 to 10 Jun 2022" in notes
    assert "CalendarDates.csv: not read, ignored: schoolYear\n" in notes + "\n"  # calendarCode is read
    assert "calendars that look cut short" not in report.counts


def test_a_calendar_that_stops_in_december_is_shown_as_cut_short(edfi_roster):
    rows = calendar_rows(D(2021, 8, 23), D(2021, 12, 17), skip=BREAKS)  # the district's, nothing stored
    report = load_calendar(rows)
    assert report.counts["calendars that look cut short"] == 1
    assert report.examples["calendars that look cut short"] == ["District 2021-22"]
    assert any(line.startswith("Check District 2021-22: the year looks cut short "
                               "(it ends on 17 Dec 2021; it has 79 school days") for line in report.notes)


def test_a_schools_listing_that_stops_in_december_keeps_the_district_year_after_it(edfi_roster):
    rows = calendar_rows(D(2021, 8, 23), D(2021, 12, 17), school="255901107", skip=BREAKS)
    rows += [",2022,,2021-08-23,First day", ",2022,,2022-05-27,Last day"]
    report = load_calendar(rows)
    assert "calendars that look cut short" not in report.counts
    assert ("Grand Bend Elementary School 2021-22: lists instructional days from 23 Aug 2021 to 17 Dec 2021 "
            "only, without a First day and a Last day: it changes those dates") in "\n".join(report.notes)


def test_a_day_with_school_and_without_is_a_row_problem_and_dates_follow_the_order(edfi_roster):
    rows = [",2022,,23/08/2021,First day", ",2022,,27/05/2022,Last day",
            f",2022,,01/09/2021,{EVENT_URI}Instructional day", f",2022,,01/09/2021,{EVENT_URI}Holiday"]
    report = load_calendar(rows)
    assert [line for _, line, _ in report.problems] == [4, 5]  # 01/09: January or September?
    report = load_calendar(rows, date_order=DAY_FIRST)
    assert [line for _, line, _ in report.problems] == [4, 5]  # the date is left out whole, both rows named
    assert str(report.problems[0][2]).startswith("left out with row 5: 2021-09-01 is listed both as a day with school")
    assert report.problems[1][2] == "2021-09-01 is already listed as Instructional day (row 4): a day has school or not"


# Enrolment deltas --------------------------------------------------------

BULK = os.path.join(DATA, "oneroster-bulk")
ENROLLMENT_HEADER = ("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
                     "primary,beginDate,endDate\n")


def enrollment_delta(tmp_path, name, rows):
    """A delta export that carries enrollments.csv only."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                                         "file.orgs,absent\nfile.users,absent\nfile.demographics,absent\n"
                                         "file.enrollments,delta\n")
    (folder / "enrollments.csv").write_text(ENROLLMENT_HEADER + "".join(rows))
    return str(folder)


def apply_roster(path, today):
    from fieldapp.imports.steps import apply_now
    report = apply_now("oneroster", path, os.path.basename(path), today=today)
    assert report.applied, report.message or report.problems
    return report


def test_an_enrolment_delta_changes_only_the_records_it_carries_and_keeps_every_span(app, tmp_path):
    from fieldapp.imports.attendance import import_attendance as attendance
    from fieldapp.models import Enrollment, RosterEnrollment
    from fieldapp.students.attendance import summary
    on_day = D(2026, 2, 2)
    apply_roster(BULK, D(2025, 8, 18))
    maria = Student.get(Student.sourced_id == "stu-1001")
    marks = "".join(f"1001,sch-100,{day},Unexcused Absence,\n"
                    for day in ("2025-09-02", "2025-09-03", "2025-10-06", "2025-11-04"))
    assert attendance(io.BytesIO((HEADER.replace(",eventDuration", "") + marks).encode()), "a.csv", False,
                      on_day).applied
    before = summary(maria, on_day)
    assert (before.days_enrolled, before.days_missed) == (121, 4)

    # A delta that adds one class from January leaves the span from August.
    art = "enr-9,active,2026-01-20T08:00:00Z,cls-art,sch-100,stu-1001,student,false,2026-01-20,\n"
    report = apply_roster(enrollment_delta(tmp_path, "delta-1", [art]), D(2026, 1, 20))
    assert report.counts.get("enrollment records added") == 1 and "enrollment dates set" not in report.counts
    after = summary(maria, on_day)
    assert (after.days_enrolled, after.days_missed) == (121, 4)
    assert [(e.begin_date, e.end_date) for e in Enrollment.select().where(Enrollment.student == maria)] == \
        [(D(2025, 8, 18), None)]

    # tobedeleted ends a record; the span stays open while another class there is open.
    gone = "enr-1,tobedeleted,2026-01-30T08:00:00Z,cls-4a,sch-100,stu-1001,student,false,2025-08-18,2026-01-30\n"
    apply_roster(enrollment_delta(tmp_path, "delta-2", [gone]), D(2026, 1, 30))
    assert [(e.begin_date, e.end_date) for e in Enrollment.select().where(Enrollment.student == maria)] == \
        [(D(2025, 8, 18), None)]
    # The last open record ends without an endDate: the day before the import; the span ends with it.
    art_gone = art.replace("active", "tobedeleted")
    report = apply_roster(enrollment_delta(tmp_path, "delta-3", [art_gone]), on_day)
    assert report.counts["enrollment records ended"] == 1
    assert [(e.begin_date, e.end_date) for e in Enrollment.select().where(Enrollment.student == maria)] == \
        [(D(2025, 8, 18), D(2026, 2, 1))]
    assert sorted((r.sourced_id, r.status) for r in RosterEnrollment.select().where(
        RosterEnrollment.student == maria)) == [("enr-1", "tobedeleted"), ("enr-9", "tobedeleted")]
    assert summary(maria, on_day).days_missed == 4


def test_a_delta_over_spans_stored_before_records_were_kept_extends_them_and_undo_puts_them_back(app, tmp_path):
    from fieldapp.imports import undo
    from fieldapp.models import Enrollment, RosterEnrollment
    apply_roster(BULK, D(2025, 8, 18))
    RosterEnrollment.delete().execute()  # as an installation upgraded with spans and no records
    jose = Student.get(Student.sourced_id == "stu-1002")
    row = "enr-7,active,,cls-pe,sch-200,stu-1002,student,false,2026-01-12,\n"
    applied, report = run("oneroster", enrollment_delta(tmp_path, "delta", [row]), "delta", RuleSettings(),
                          today=D(2026, 1, 12))
    assert applied.outcome == "applied", report.problems
    assert [(e.begin_date, e.end_date) for e in Enrollment.select().where(Enrollment.student == jose)] == \
        [(D(2025, 8, 18), None)]
    undo(applied, None)
    assert RosterEnrollment.select().count() == 0
    assert [(e.begin_date, e.end_date) for e in Enrollment.select().where(Enrollment.student == jose)] == \
        [(D(2025, 8, 18), None)]


def test_enrolment_spans_are_the_union_of_records():
    from fieldapp.imports.roster_enrollments import union
    assert union([(D(2025, 8, 18), D(2025, 12, 19)), (D(2026, 1, 5), None), (D(2025, 9, 1), D(2025, 9, 30))]) == \
        [(D(2025, 8, 18), D(2025, 12, 19)), (D(2026, 1, 5), None)]
    assert union([(None, D(2025, 10, 1)), (D(2025, 10, 2), D(2025, 11, 1))]) == [(None, D(2025, 11, 1))]
    assert union([]) == []


@pytest.mark.parametrize("version, applied", [("1.0", True), ("1.1", True), ("1.2", False)])
def test_a_manifest_of_oneroster_1_0_is_read_with_its_column_names_and_1_2_is_refused(app, tmp_path, version,
                                                                                   applied):
    import shutil
    folder = tmp_path / "export"
    shutil.copytree(EDFI_ROSTER, folder)
    manifest = folder / "manifest.csv"
    manifest.write_text(manifest.read_text().replace("oneroster.version,1.1", f"oneroster.version,{version}"))
    report = import_oneroster(str(folder), "export")
    assert report.applied == applied, report.message
    assert applied or "this import reads 1.1 (and 1.0)" in report.message
    assert StudentGuardian.select().count() == (2 if applied else 0)


@pytest.mark.parametrize("state", ["CA", "TX", "WA", "PA"])
def test_a_split_day_absent_in_both_halves_is_one_full_day_missed_for_chronic_absence(edfi_roster, state):
    """Half a day excused and half unexcused (stored as two parts of the day)
    is the whole day missed: chronic absence counts absences for any reason.
    Half a day present and half absent is not a day missed."""
    from fieldapp.rules.standing import standing_of
    text = HEADER + ("604823,255901001,2021-10-05,Excused Absence,0.5,\n"
                     "604823,255901001,2021-10-05,Unexcused Absence,0.5,\n"
                     "604823,255901001,2021-10-06,In Attendance,0.5,\n"
                     "604823,255901001,2021-10-06,Unexcused Absence,0.5,\n"
                     "604823,255901001,2021-10-12,Excused Absence,1,\n")
    assert load(text).applied
    student = Student.get(Student.sourced_id == HIROSHI)
    result = standing_of(RuleSettings(state=state), student, TODAY)
    assert result.days_missed == 2


@pytest.mark.parametrize("raw", ["2021-08-31", "2024-02-29", "2023-02-29", "2021-13-01", "2021-00-10",
                                 "0001-01-01", "9999-12-31", "2021-8-031", "2021-0a-01", "+021-08-31",
                                 "２０２１-０８-３１", "2021-W01-1", "20210831"])
def test_a_plain_iso_date_is_read_as_the_pattern_of_every_iso_date_reads_it(raw):
    """YYYY-MM-DD is read without the pattern for speed: the same date, or none, as the pattern gives."""
    from fieldapp.imports import dates
    match = dates.ISO.match(raw)
    assert dates._any_year(raw, "") == (dates._iso(match) if match else None)


def test_a_calendar_with_several_tracks_of_one_school_warns_naming_the_tracks_it_merges(edfi_roster):
    rows = calendar_rows(D(2021, 8, 23), D(2022, 5, 27), school="255901001", skip=BREAKS)
    rows += [row.replace("107SS022012", "107SS022013") for row in rows[:20]]  # a second track
    rows += [",2022,,2021-08-16,First day", ",2022,,2022-06-10,Last day"]
    report = load_calendar(rows)
    assert report.counts["calendars merging several tracks"] == 1
    assert report.examples["calendars merging several tracks"] == ["Grand Bend High School 2021-22"]
    assert ("Check Grand Bend High School 2021-22: the file gives 2 calendars (calendarCode 107SS022012, "
            "107SS022013), merged into one") in "\n".join(report.notes)
    one_track = load_calendar(calendar_rows(D(2021, 8, 23), D(2022, 5, 27), school="255901001", skip=BREAKS))
    assert "calendars merging several tracks" not in one_track.counts


def test_a_sourced_id_that_is_another_schools_code_names_neither_school(edfi_roster):
    """A school whose sourcedId is another school's code: a row naming that key
    could mean either, and was taken as the first without a word (a calendar's
    holiday landed on the other school). It is a row problem naming both, in
    attendance and calendar files alike; the other school's own sourcedId still names it."""
    from fieldapp.imports.calendar import import_calendar
    high = School.get(School.sourced_id == HIGH)
    School.create(sourced_id=high.identifier, name="Grand Bend Annex", identifier="255901099")
    report = load(HEADER + "604823,255901001,2021-09-07,Unexcused Absence,1,\n")
    assert not report.applied
    assert report.problems[0][2] == (
        "schoolId '255901001' is the sourcedId of Grand Bend Annex and the code of Grand Bend High School: it "
        "cannot say which; give each school a sourcedId no other school has as its code (orgs.csv)")
    calendar = import_calendar(io.BytesIO(b"schoolId,date,calendarEvent,name\n255901001,2021-10-11,Holiday,\n"),
                               "calendar.csv")
    assert "is the sourcedId of Grand Bend Annex and the code of Grand Bend High School" in \
        str(calendar.problems[0][2])
    assert load(HEADER + f"604823,{HIGH},2021-09-07,Unexcused Absence,1,\n").applied


def test_a_roster_row_naming_a_school_by_its_code_is_told_the_sourced_id(app, tmp_path):
    """OneRoster's users.csv and enrollments.csv name a school by its sourcedId:
    a row giving the school's code (Ed-Fi's schoolId) was refused as naming an
    unknown school; the problem now says whose code it is and which sourcedId to give."""
    import shutil
    folder = tmp_path / "roster"
    shutil.copytree(EDFI_ROSTER, folder)
    users = (folder / "users.csv").read_text().replace(f"{LISA_HIGH},active,2021-08-15T10:42:07.337Z,{HIGH},",
                                                       f"{LISA_HIGH},active,2021-08-15T10:42:07.337Z,255901001,")
    (folder / "users.csv").write_text(users)
    enrollments = (folder / "enrollments.csv").read_text().splitlines()
    enrollments[3] = enrollments[3].replace(f",{HIGH},{HIROSHI},", f",255901001,{HIROSHI},")
    (folder / "enrollments.csv").write_text("\n".join(enrollments) + "\n")
    report = import_oneroster(str(folder), "grand-bend")
    said = [(file, line, str(why)) for file, line, why in report.problems]
    code = (f"'255901001' is the code (orgs.csv identifier) of Grand Bend High School; OneRoster names a school by "
            f"its sourcedId, '{HIGH}'")
    assert ("users.csv", 2, f"none of orgSourcedIds '255901001' is a known school: {code}") in said
    assert ("enrollments.csv", 4, f"unknown school '255901001': {code}") in said


def _delta(folder, files):
    folder.mkdir()
    modes = {name: ("delta" if name in files else "absent") for name in ("orgs", "users", "demographics",
                                                                             "enrollments")}
    (folder / "manifest.csv").write_text("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n" +
                                         "".join(f"file.{name},{mode}\n" for name, mode in modes.items()))
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text)
    return str(folder)


def test_a_delta_deleting_users_and_a_school_by_sourced_id_alone_deletes_them(edfi_roster, tmp_path):
    """A OneRoster delta may delete a record by its sourcedId alone (status
    tobedeleted, the other cells empty): such users.csv and orgs.csv rows were
    refused ('role '' is not a OneRoster role'). A stored student is
    deactivated, a guardian's links ended, a school deactivated; a sourcedId
    on file nowhere is said in a note."""
    guardian = "8c6a4e2c0b9d4f7e5a3c1e9d7b5f3a21"
    users = ("sourcedId,status,dateLastModified,orgSourcedIds,role,givenName,familyName\n"
             f"{HIROSHI},tobedeleted,2021-11-30T10:00:00Z,,,,\n{guardian},tobedeleted,2021-11-30T10:00:00Z,,,,\n"
             "nobody-at-all,tobedeleted,2021-11-30T10:00:00Z,,,,\n")
    orgs = (f"sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
            f"{ELEMENTARY},tobedeleted,2021-11-30T10:00:00Z,,,,\nno-such-org,tobedeleted,2021-11-30T10:00:00Z,,,,\n")
    delta = _delta(tmp_path / "delta", {"users": users, "orgs": orgs})
    assert "Type 'deactivate 1' to confirm" in str(import_oneroster(delta, "delta").message)
    report = import_oneroster(delta, "delta", confirmation="deactivate 1")
    assert report.outcome == "applied", report.problems
    assert not Student.get(Student.sourced_id == HIROSHI).active
    assert Student.get(Student.sourced_id == LISA_HIGH).active
    dana = Guardian.get(Guardian.sourced_id == guardian)
    assert not StudentGuardian.select().where(StudentGuardian.guardian == dana, StudentGuardian.current()).exists()
    elementary = School.get(School.sourced_id == ELEMENTARY)
    assert not elementary.active and elementary.identifier == "255901107"
    assert elementary.name == "Grand Bend Elementary School"
    notes = "\n".join(map(str, report.notes))
    assert ("users.csv: 1 tobedeleted row gives only its sourcedId, and no student or guardian of that sourcedId "
            "is on file: nothing to delete: nobody-at-all") in notes
    assert ("orgs.csv: 1 tobedeleted row gives only its sourcedId, and no school of that sourcedId is on file: "
            "nothing to delete: no-such-org") in notes


def test_a_deletion_by_sourced_id_alone_written_in_another_case_names_the_stored_record(edfi_roster, tmp_path):
    """A bare tobedeleted row whose sourcedId differs only in case from a stored record's was said to name
    nothing on file, and deleted nothing: it is that record typed anew, a row problem as on a whole row."""
    users = f"sourcedId,status,dateLastModified,orgSourcedIds,role,givenName,familyName\n{HIROSHI.upper()},tobedeleted,,,,,\n"
    orgs = f"sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n{ELEMENTARY.upper()},tobedeleted,,,,,\n"
    report = import_oneroster(_delta(tmp_path / "delta", {"users": users, "orgs": orgs}), "delta")
    said = [(file, line, str(why)) for file, line, why in report.problems]
    assert ("users.csv", 2, f"sourcedId '{HIROSHI.upper()}' differs only in case from '{HIROSHI}' of Hiroshi "
            f"Tanaka, stored already: one record typed twice, most likely; write the sourcedId as stored "
            f"('{HIROSHI}')") in said, said
    assert any(file == "orgs.csv" and line == 2 and "differs only in case" in why for file, line, why in said)
    assert not any("nothing to delete" in str(note) for note in report.notes)
    assert Student.get(Student.sourced_id == HIROSHI).active and School.get(School.sourced_id == ELEMENTARY).active


def test_a_roster_giving_a_school_another_schools_code_as_its_sourced_id_says_so(edfi_roster, tmp_path):
    """orgs.csv making a school whose sourcedId is another school's code (or a code that is another's
    sourcedId) was applied without a word; every attendance and calendar row naming that key is then refused.
    The preview says it first."""
    orgs = ("sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
            "255901001,active,,Grand Bend Annex,school,255901099,\n")
    report = import_oneroster(_delta(tmp_path / "delta", {"orgs": orgs}), "delta")
    assert ("orgs.csv: 1 key names two schools, one by its sourcedId and one by its code: attendance and calendar "
            "rows naming it will be refused until one of the two changes (a sourcedId, or an identifier): "
            "'255901001' is the sourcedId of Grand Bend Annex and the code of Grand Bend High School"
            ) in [str(note) for note in report.notes]
