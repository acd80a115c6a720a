"""Every figure of the district's page links to the list behind it, and
that list counts what the figure counts."""
import datetime
import re

from fieldapp.cases import assignment, lifecycle
from fieldapp.rules.settings import from_config
from fieldapp.students import bands
from tests import factories
from tests.web.conftest import page_text
from tests.web.test_worklist_pages import mark
from fieldapp.timefmt import today_for_school


def _absent_lately(student, weekdays=20):
    """Absent the last `weekdays` weekdays up to the school's today: chronically, this year."""
    day, days = today_for_school(student.school_id), []
    while len(days) < weekdays:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    mark(student, *days)


def _cell_link(page, label, row_name):
    """The address of the link in row_name's cell labelled label."""
    row = page[page.index(f'<td class="lead">{row_name}'):]
    row = row[:row.index("</tr>")]
    return re.search(rf'data-label="{re.escape(label)}"><a href="([^"]+)"', row).group(1).replace("&amp;", "&")


def test_a_schools_chronically_absent_figure_lists_those_students(auth, login_as, world, app):
    _absent_lately(world["student_a"])
    for i in range(3):
        _absent_lately(factories.gen_student(world["school_a"], first=f"Kid{i}", last="Absent"))
    factories.gen_student(world["school_a"], first="Always", last="Here")
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor"))
    href = _cell_link(page, "Chronically absent (10% or more)", "Lincoln Elementary")
    assert href == f"/supervisor/students?school={world['school_a'].id}&band=chronic"
    listed = page_text(auth.client.get(href))
    settings = from_config(app.config)
    chronic = sum(bands.fresh_counted(settings, [world["school_a"].id], band) for band in bands.CHRONIC)
    assert chronic >= 4 and f'<small class="muted">{chronic}</small>' in listed
    assert "Absent, Kid0" in listed and "Here, Always" not in listed
    assert re.search(r'<option value="chronic"\s+selected>', listed)


def test_an_officers_new_and_todays_figures_list_those_cases(auth, login_as, world):
    kid = factories.gen_student(world["school_a"], first="Handed", last="Over")
    handed = lifecycle.open_case(world["supervisor"], kid, {"officer": ""})
    assignment.assign_case(world["supervisor"], handed, {"officer": str(world["officer"].id), "note": "x"})
    login_as("supervisor")
    for url in ("/supervisor", "/supervisor/officers"):
        page = page_text(auth.client.get(url))
        new = _cell_link(page, "New to them", world["officer"].name)
        today = _cell_link(page, "Follow-ups today", world["officer"].name)
        listed = page_text(auth.client.get(new))
        assert "Over, Handed" in listed and "García, María" not in listed
        assert re.search(r'<option value="yes"\s+selected>', listed)
        assert "follow_up=today" in today and auth.client.get(today).status_code == 200


def _figure_and_link(page, label, row_name):
    """(the number in row_name's cell labelled label, the address it links to)."""
    row = page[page.index(f'<td class="lead">{row_name}'):]
    row = row[:row.index("</tr>")]
    found = re.search(rf'data-label="{re.escape(label)}"><a href="([^"]+)"[^>]*>(\d+)</a>', row)
    return int(found.group(2)), found.group(1).replace("&amp;", "&")


def test_an_officers_follow_up_figures_equal_the_rows_they_link_to_after_a_transfer(auth, login_as, world):
    """The figures count each case against the today of its student's
    current school, as the list they link to filters: a student now at a
    school a day ahead of the one where their case was opened is counted
    on both, or on neither."""
    from fieldapp.models import Case, School, Student, UserSchool
    ahead, behind = world["school_b"], world["school_a"]
    School.update(time_zone="Pacific/Kiritimati").where(School.id == ahead.id).execute()  # UTC+14
    School.update(time_zone="Pacific/Pago_Pago").where(School.id == behind.id).execute()  # UTC-11
    UserSchool.create(user=world["officer"], school=ahead)  # the officer works both schools
    assert today_for_school(ahead.id) > today_for_school(behind.id)
    stays = factories.gen_student(behind, first="Stays", last="Put")
    stays_case = factories.gen_case(stays, world["officer"])
    # María moves to the school a day ahead; her case (opened at the school
    # behind) is still her officer's, its follow-up today at her new school.
    Student.update(school=ahead).where(Student.id == world["student_a"].id).execute()
    Case.update(next_follow_up=today_for_school(ahead.id)).where(Case.id == world["case_a"].id).execute()
    Case.update(next_follow_up=today_for_school(behind.id)).where(Case.id == stays_case.id).execute()
    late = factories.gen_case(factories.gen_student(ahead, first="Late", last="Again"), world["officer"])
    Case.update(next_follow_up=today_for_school(behind.id)).where(Case.id == late.id).execute()
    login_as("supervisor")
    for url in ("/supervisor", "/supervisor/officers"):
        page = page_text(auth.client.get(url))
        for label, listed_names in (("Follow-ups today", ("García, María", "Put, Stays")),
                                    ("Follow-ups overdue", ("Again, Late",))):
            figure, href = _figure_and_link(page, label, world["officer"].name)
            listed = page_text(auth.client.get(href))
            rows = listed.count('<td class="lead">')
            assert (figure, rows) == (len(listed_names), len(listed_names)), (url, label)
            assert f'<small class="muted">{figure}</small>' in listed
            assert all(name in listed for name in listed_names), (url, label)
