"""The supervisor's desk reads its lists and figures from the indexes made
for them. On the bench district of 100,000 students, sorting the 10,600 open
cases by their place on the legal ladder took 28 ms a page on SQLite (53 ms
the hundredth), and the dashboard's legal steps by officer read the whole
stored standing of every open case (130 ms)."""
import importlib.util
import re

from fieldapp import codes
from fieldapp.cases import caselist
from fieldapp.db import migrations_folder
from fieldapp.models import Case, Student, StudentStanding
from fieldapp.rules import stored
from fieldapp.rules.settings import from_config
from fieldapp.students import bands
from tests import factories
from tests.query_plans import recorded, sqlite_plan


def _ladder_index_expression():
    spec = importlib.util.spec_from_file_location(
        "m0500", f"{migrations_folder()}/0500_case_ladder_order_index.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LADDER


def test_the_ladder_order_is_the_expression_its_index_holds(app):
    """The database serves an order from an index on an expression only when
    the query writes the same expression: a stage added to the ladder needs a
    new index, and this says so on either engine."""
    sql, params = Case.select(caselist.ladder_order()).sql()
    written = re.sub(r'"t1"\.', "", sql[len("SELECT "):sql.index(' FROM "case"')])
    assert params == [] and written == _ladder_index_expression()
    assert [f"'{code}'" for code in codes.STAGES] == re.findall(r"'[a-z_]+'", written)


def _page_query(run):
    found, statements = recorded(run, "case")
    ordered = [(sql, params) for sql, params in statements if "ORDER BY" in sql and "LIMIT" in sql]
    assert len(ordered) == 1, statements
    return found, sqlite_plan(*ordered[0])


def test_a_page_of_the_case_list_sorted_by_stage_is_read_from_the_ladder_index(app):
    school = factories.gen_school()
    officer = factories.gen_user("officer", [school])
    ladder = list(codes.STAGES)
    for i in range(12):
        factories.gen_case(factories.gen_student(school, first=f"Kid{i:02d}", last="Ladder"), officer,
                           stage=ladder[-1 - i % len(ladder)])
    page, plan = _page_query(lambda: caselist.district_cases({"status": "open"}, "stage", 2, per_page=5))
    assert [c.stage for c in page.items] == sorted((c.stage for c in page.items), key=ladder.index)
    assert page.total == 12 and len(page.items) == 5
    if plan is None:  # PostgreSQL: its plan follows its statistics
        return
    assert "INDEX case_status_ladder_student_sort_key_id (status=?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_the_legal_steps_by_officer_start_from_the_index_of_fresh_sections(app):
    """SQLite reads the students with a worklist section from the index of the
    fresh rows, then their cases, never each open case's whole stored row."""
    settings = from_config(app.config)
    school = factories.gen_school()
    officers = [factories.gen_user("officer", [school]) for _ in range(2)]
    for i in range(6):
        factories.gen_case(factories.gen_student(school, first=f"Kid{i}", last="Steps"), officers[i % 2])
    stored.ensure_fresh(settings)
    found, statements = recorded(lambda: bands.legal_steps_by_officer(settings), "student_standing")
    assert set(found) <= {officer.id for officer in officers}
    assert len(statements) == 1, statements
    plan = sqlite_plan(*statements[0])
    if plan is None:  # PostgreSQL: its plan follows its statistics
        return
    assert plan.startswith("SEARCH t2 USING COVERING INDEX student_standing_fresh_sections"), plan
    assert "INTEGER PRIMARY KEY" not in plan, plan


def test_the_case_list_in_a_band_reads_the_bands_from_the_index_of_fresh_rows(app):
    """The band's students come from the index of the fresh stored rows,
    never from each case's whole stored row, for the count and the page."""
    settings = from_config(app.config)
    school = factories.gen_school()
    officer = factories.gen_user("officer", [school])
    for i in range(6):
        factories.gen_case(factories.gen_student(school, first=f"Kid{i}", last="Band"), officer)
    stored.ensure_fresh(settings)
    page, statements = recorded(
        lambda: caselist.district_cases({"band": "satisfactory", "status": "open"}, settings=settings),
        "student_standing")
    assert page.total == 6 and len(page.items) == 6
    assert len(statements) == 2, statements  # the count and the page's ids
    for sql, params in statements:
        plan = sqlite_plan(sql, params)
        if plan is None:  # PostgreSQL: its plan follows its statistics
            return
        # either index of the fresh rows by band (0210, 0530) holds the band's ids
        assert re.search(r"COVERING INDEX student_standing_fresh_(figures|band_sort_key)", plan), plan
        assert "INTEGER PRIMARY KEY" not in plan, plan


def test_a_page_of_the_students_in_a_band_is_read_in_name_order_from_the_index_of_fresh_rows(app):
    """A page of a band's students (of one school, or of the district) is read
    in name order from the index of the fresh rows by band and the copy of
    each student's sort key they carry (migration 0530): SQLite read every
    standing of the band whole and sorted them for each page, PostgreSQL
    walked every student in name order (102 ms a page of one school's
    moderate band on the bench district). The order follows a renamed
    student at once."""
    settings = from_config(app.config)
    school, other = factories.gen_school(), factories.gen_school()
    for i in range(8):
        factories.gen_student(school if i % 2 else other, first=f"Kid{i}", last=f"Band{7 - i}")
    stored.ensure_fresh(settings)
    renamed = Student.get(Student.first_name == "Kid0")
    renamed.last_name = "Aaron"
    renamed.save()
    kept = lambda: StudentStanding.get_by_id(renamed.id).student_sort_key  # noqa: E731
    assert kept() == renamed.sort_key  # copied by the database, stale or not
    StudentStanding.update(student_sort_key="zzz").where(StudentStanding.student == renamed.id).execute()
    assert kept() == renamed.sort_key  # any other key is set back
    stored.ensure_fresh(settings)
    for scope, band in ((None, "satisfactory"), (other.id, "satisfactory"), (None, bands.CHRONIC_CHOICE)):
        (query, total), _ = recorded(lambda: bands.students(settings, scope, band), "student_standing")
        page, statements = recorded(lambda: list(query.paginate(1, 3)), "student_standing")
        everyone = [s.student for s in query]
        expected = sorted((s for s in everyone), key=lambda s: (s.sort_key, s.id))
        assert [s.student.id for s in page] == [s.id for s in expected[:3]]
        assert total == len(everyone)
        if band == bands.CHRONIC_CHOICE:
            assert total == 0
            continue
        assert [s.first_name for s in expected][:1] == ["Kid0"] and len(everyone) == (8 if scope is None else 4)
        plan = sqlite_plan(*statements[0])
        if plan is None:  # PostgreSQL: its plan follows its statistics
            continue
        assert "INDEX student_standing_fresh_band_sort_key" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
