"""The contact log filtered by a reason: a page walks the contacts newest first
from the (occurred_at, ...) index and stops at a page, a count reads the
(reasons, ...) index. The reason was a pattern matched inside every contact's
list, which PostgreSQL guessed matched a handful: it read and joined every
contact, then sorted (121 ms p95 a page on the bench district, 28 ms now);
written as a plain list test, SQLite (no statistics) took the reasons index for
the page and sorted every contact of the reason."""
from fieldapp.cases import contact_log
from fieldapp.db import is_postgres
from tests import factories
from tests.query_plans import recorded, sqlite_plan


def test_a_reason_is_matched_whole_and_paged_from_the_time_index(world):
    """(On PostgreSQL the rows and the count are checked; the plan is the one SQLite takes.)"""
    for reasons in (["housing"], ["transportation", "housing"], ["transportation"], ["family_crisis"], []):
        factories.gen_contact(world["case_a"], world["officer"], reasons=reasons)
    (rows, _), statements = recorded(lambda: contact_log.district_log({"reason": "housing"}), "contact")
    assert sorted(r.reasons for r in rows) == ["housing", "transportation,housing"]
    assert contact_log.count({"reason": "housing"}) == 2
    if is_postgres():
        return  # the plan is the planner's, from its statistics: the figures are in bench_desk
    page_sql, params = next((sql, p) for sql, p in statements if "ORDER BY" in sql)
    plan = sqlite_plan(page_sql, params)
    assert "contact_occurred_at" in plan and "reasons=?" not in plan, plan
    _, counted = recorded(lambda: contact_log.count({"reason": "housing"}), "contact")
    assert "contact_reasons_occurred_at (reasons=?)" in sqlite_plan(*counted[-1])


def test_a_school_is_paged_and_counted_from_its_contacts_index(world):
    """SQLite, without statistics, took the school's index of students for the
    page and sorted every contact of the school (39 ms a page of the bench
    district's biggest school); PostgreSQL counted the school's contacts by
    joining its 25,000 students to them. Each contact carries its student's
    school (migration 0700): the page walks the school's contacts newest first
    from their (student_school_id, occurred_at, id) index and stops at a page,
    the count reads the same index alone."""
    for _ in range(3):
        factories.gen_contact(world["case_a"], world["officer"])
    school = world["school_a"].id
    (rows, _), statements = recorded(lambda: contact_log.district_log({"school": school}), "contact")
    assert len(rows) == 4 and {r.student.school_id for r in rows} == {school}
    assert [r.occurred_at for r in rows] == sorted((r.occurred_at for r in rows), reverse=True)
    assert contact_log.count({"school": school}) == 4
    if is_postgres():
        return  # the plan is the planner's, from its statistics: the figures are in bench_desk
    page_sql, params = next((sql, p) for sql, p in statements if "ORDER BY" in sql)
    plan = sqlite_plan(page_sql, params)
    assert "SEARCH t1 USING INDEX contact_student_school_occurred_at (student_school_id=?)" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    _, counted = recorded(lambda: contact_log.count({"school": school}), "contact")
    assert "COVERING INDEX contact_student_school_occurred_at (student_school_id=?)" in sqlite_plan(*counted[-1])
