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
