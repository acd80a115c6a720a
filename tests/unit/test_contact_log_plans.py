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
