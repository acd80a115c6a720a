"""The look-up finds the same students whichever way it goes: from the word
index (a telling word) or walking students in name order (only broad words,
as in a district of 100,000). `broad` picks the way on a small district."""
import pytest

from fieldapp.students.search import search
from tests import factories

QUERIES = ["gar", "gar mar", "maria garcia", "m", "a z", "stu", "ga n", "núñez", "zz", "100"]


@pytest.fixture
def district(app):
    north, south = factories.gen_school("North"), factories.gen_school("South")
    people = [("María", "García"), ("Mario", "Garza"), ("Marta", "García"), ("Ana", "Zamora"),
              ("Gael", "Núñez"), ("Zoe", "Adams"), ("Maria", "Garcia"), ("Amaro", "Gonzaga")]
    students = [factories.gen_student(north if i % 3 else south, first=first, last=last)
                for i, (first, last) in enumerate(people)]
    gone = factories.gen_student(north, first="Marco", last="García")
    gone.active = False
    gone.save()
    return {"north": north, "south": south, "students": students}


@pytest.mark.parametrize("query", QUERIES)
def test_name_order_walk_finds_what_the_word_index_finds(district, query):
    for scope in (None, {district["north"].id}):
        by_index = [s.id for s in search(query, scope, broad=10 ** 9)]
        by_walk = [s.id for s in search(query, scope, broad=1)]
        assert by_walk == by_index


def test_both_ways_find_every_word_and_respect_the_limit(district):
    for broad in (1, 10 ** 9):
        assert sorted(s.full_name for s in search("mar gar", None, broad=broad)) == \
            ["Maria Garcia", "Mario Garza", "Marta García", "María García"]
        assert len(search("a", None, limit=3, broad=broad)) == 3


def test_an_officers_look_up_gives_the_planner_its_schools_as_they_are(district):
    """An officer's look-up is limited to their schools. PostgreSQL, which weighs a
    filter by its statistics, is given the school column itself and compiles no
    look-up (JIT): given an expression, it guessed that a handful of students
    matched, and answered an officer's "ma" on the bench district by reading and
    sorting all 100,000 (over 100 ms, on every first keystroke). SQLite, without
    statistics, is kept off the school index, which it would start from."""
    from fieldapp.db import database, is_postgres
    from tests.query_plans import recorded
    found, statements = recorded(lambda: search("ma", {district["north"].id}, broad=1), "student")
    assert {s.school_id for s in found} == {district["north"].id} and found
    walk = next(sql for sql, _ in statements if "ORDER BY" in sql)
    if is_postgres():
        assert '"t1"."school_id" IN (' in walk, walk
        assert database.execute_sql("SHOW jit").fetchone()[0] == "off"
    else:
        assert '("t1"."school_id" + ?) IN (' in walk, walk
