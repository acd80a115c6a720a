"""The worklist is never cut: every section pages, and narrows by officer and step."""
import datetime

from tests import factories
from tests.query_plans import recorded, sqlite_plan
from tests.web.conftest import page_text
from tests.web.test_worklist_pages import ON, mark

DAYS = (datetime.date(2025, 9, 3), datetime.date(2025, 9, 10), datetime.date(2025, 9, 17))


def test_a_long_section_pages_to_its_last_student(auth, login_as, world):
    for i in range(73):
        mark(factories.gen_student(world["school_a"], first=f"Kid{i:03d}", last="Late"), *DAYS)
    login_as("supervisor")
    first = page_text(auth.client.get(f"/worklist?on={ON}"))
    assert "All 73 in this section" in first and "flask worklist" not in first
    last = page_text(auth.client.get(f"/worklist?on={ON}&section=overdue&page=2"))
    assert "Students 51–73 of 73" in last and "Page 2 of 2" in last
    everyone = page_text(auth.client.get(f"/worklist?on={ON}&section=overdue")) + last
    assert all(f"Late, Kid{i:03d}" in everyone for i in range(73))


def test_the_worklist_narrows_by_officer_and_step(auth, login_as, world):
    mark(world["student_a"], *DAYS)  # case A is with the officer
    loose = factories.gen_student(world["school_a"], first="Sin", last="Caso")
    mark(loose, *DAYS)
    login_as("supervisor")
    page = page_text(auth.client.get(f"/worklist?on={ON}&officer={world['officer'].id}"))
    assert "García, María" in page and "Caso, Sin" not in page
    page = page_text(auth.client.get(f"/worklist?on={ON}&officer=none"))
    assert "Caso, Sin" in page and "García, María" not in page
    bad = auth.client.get(f"/worklist?on={ON}&step=nonsense")
    assert bad.status_code == 422 and "“nonsense” is not one of the choices. Choose from the list." in page_text(bad)


def test_todays_worklist_is_narrowed_and_paged_in_sql_as_the_whole_list_narrows(app, world):
    """Today's worklist reads only the rows a screen shows: narrowed, counted and
    paged over the stored standings, it keeps the students, totals and order
    that narrowing the whole list keeps."""
    import time_machine

    from fieldapp.rules import worklist as work
    from fieldapp.rules import worklist_pages as pages
    from fieldapp.rules.settings import from_config

    now = datetime.datetime(2025, 10, 1, 17, 0, tzinfo=datetime.timezone.utc)  # a Wednesday
    with time_machine.travel(now, tick=False):
        mark(world["student_a"], *DAYS)  # case A is with the officer
        for i in range(27):
            mark(factories.gen_student(world["school_a"], first=f"Kid{i:02d}", last="Late"), *DAYS)
        recent = (datetime.date(2025, 9, 26), datetime.date(2025, 9, 29), datetime.date(2025, 9, 30))
        for i in range(4):
            mark(factories.gen_student(world["school_b"], first=f"New{i}", last="Crossed"), *recent)
        settings = from_config(app.config)
        officer = world["officer"].id
        assert work.build(settings).totals["overdue"] == 28  # a list long enough to page
        combos = [{}, {"officer": officer}, {"officer": pages.NOBODY},
                  {"step": work.build(settings).items[0].step.step.code}, {"due_this_week": True}]
        for narrowing in combos:
            whole = pages.narrow(work.build(settings), **narrowing)
            for section, number in ((None, 1), ("overdue", 1), ("overdue", 2), ("new", 1), ("later", 9)):
                listing = work.frame(settings)
                shown = work.page(settings, listing, None, section=section, number=number, per_page=10,
                                  **narrowing)
                expected = pages.pages(whole, section, number, per_page=10)
                assert {code: n for code, n in whole.totals.items() if n} == listing.totals, narrowing
                assert {code: ([i.student.id for i in p.items], p.number, p.total)
                        for code, p in expected.items()} == \
                    {code: ([i.student.id for i in p.items], p.number, p.total)
                     for code, p in shown.items()}, (narrowing, section, number)


def test_a_section_of_todays_worklist_is_read_from_its_index_and_its_page_by_id(app, world):
    """A page of a section finds its students in the index of migration 0320
    (as_of, rules_key, stale, section, school_id, ...), not by walking every
    fresh row of the day, and reads only the students it shows whole, by id
    (EXPLAIN QUERY PLAN on SQLite, which has no statistics to go by)."""
    import time_machine

    from fieldapp.db import is_postgres
    from fieldapp.rules import worklist as work
    from fieldapp.rules.settings import from_config

    now = datetime.datetime(2025, 10, 1, 17, 0, tzinfo=datetime.timezone.utc)
    with time_machine.travel(now, tick=False):
        for i in range(12):
            mark(factories.gen_student(world["school_a"], first=f"Kid{i:02d}", last="Late"), *DAYS)
        settings = from_config(app.config)
        shown, statements = recorded(lambda: work.page(settings, work.frame(settings), [world["school_a"].id],
                                                       section="overdue", number=2, per_page=5),
                                     "student_standing")
    assert [i.student.first_name for i in shown["overdue"].items] == [f"Kid{i:02d}" for i in range(5, 10)]
    if is_postgres():
        return
    plans = {sql: sqlite_plan(sql, params)
             for sql, params in statements if 'FROM "student_standing" AS "t1" INNER JOIN "student"' in sql}
    sections = [plan for sql, plan in plans.items() if "ORDER BY" in sql]
    by_id = [plan for sql, plan in plans.items() if "ORDER BY" not in sql]
    assert sections and by_id, plans
    assert all("student_standing_fresh_sections (as_of=? AND rules_key=? AND stale=? AND section=?" in p
               for p in sections), sections
    assert all(p.startswith("SEARCH t") and "USING INTEGER PRIMARY KEY" in p and "fresh" not in p
               for p in by_id), by_id
