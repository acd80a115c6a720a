"""The case list filtered by chronic-absence band lists exactly the cases of
the students whose fresh stored band is the one chosen: with the list's
other filters, in the order chosen, paged without a case lost or shown
twice, and counted as many as it lists. A stale standing says nothing."""
import pytest

from fieldapp import codes
from fieldapp.cases import caselist, lifecycle
from fieldapp.models import Case, StudentStanding
from fieldapp.rules import stored
from fieldapp.rules.settings import from_config
from tests import factories

SURNAMES = ("Zamora", "Abad", "Núñez", "Ortiz", "Álvarez", "Ruiz", "Oñate", "Béjar")


@pytest.fixture
def banded(app):
    """Students at two schools in every band, most with an open case, some
    with a closed one or none; one standing stale."""
    settings = from_config(app.config)
    schools = [factories.gen_school(), factories.gen_school()]
    officer = factories.gen_user("officer", schools)
    students = [factories.gen_student(schools[i % 2], first=f"Kid{i:02d}", last=SURNAMES[i % len(SURNAMES)])
                for i in range(26)]
    ladder = list(codes.STAGES)
    for i, student in enumerate(students[:22]):
        case = factories.gen_case(student, officer, stage=ladder[i % len(ladder)])
        if i % 5 == 0:
            lifecycle.close_case(officer, case, {"closure_reason": "attendance_improved"})
    stored.ensure_fresh(settings)
    bands = list(codes.BANDS)
    for i, student in enumerate(students):
        StudentStanding.update(band=bands[i % len(bands)]).where(StudentStanding.student == student.id).execute()
    StudentStanding.update(stale=True).where(StudentStanding.student == students[3].id).execute()
    fresh = {row.student_id: row.band for row in stored.fresh_today(settings)}
    assert students[3].id not in fresh and len(fresh) == len(students) - 1
    return settings, schools, fresh


def _expected(filters, sort, fresh):
    cases = [case for case in caselist.with_people() if fresh.get(case.student_id) == filters["band"]]
    if filters.get("status", "open") != "all":
        cases = [case for case in cases if case.status == filters.get("status", "open")]
    if "school" in filters:
        cases = [case for case in cases if case.student.school_id == filters["school"]]
    ladder = list(codes.STAGES)
    keys = {"student": lambda c: (c.student.sort_key, c.id),
            "stage": lambda c: (ladder.index(c.stage), c.student.sort_key, c.id)}
    return [case.id for case in sorted(cases, key=keys[sort])]


@pytest.mark.parametrize("sort", ["student", "stage"])
@pytest.mark.parametrize("status", [None, "closed", "all"])
def test_the_band_filter_lists_the_cases_of_the_students_in_that_band(banded, sort, status):
    settings, schools, fresh = banded
    shown = 0
    for band in codes.BANDS:
        for school in (None, schools[0].id):
            filters = {"band": band, **({"status": status} if status else {}),
                       **({"school": school} if school else {})}
            expected = _expected(filters, sort, fresh)
            listed, number = [], 1
            while True:
                page = caselist.district_cases(dict(filters), sort, number, per_page=2, settings=settings)
                assert page.total == len(expected), filters
                listed += [case.id for case in page.items]
                if number * 2 >= page.total:
                    break
                number += 1
            assert listed == expected, filters
            shown += len(listed)
    assert shown >= (5 if status == "closed" else 20)
    assert Case.select().where(Case.status == "closed").count() == 5


def test_a_page_past_the_end_of_a_band_shows_its_last_page_and_an_empty_band_none(banded):
    settings, schools, fresh = banded
    expected = _expected({"band": "at_risk"}, "student", fresh)
    last = -(-len(expected) // 2)
    page = caselist.district_cases({"band": "at_risk"}, "student", 99, per_page=2, settings=settings)
    assert (page.number, page.past_end, page.total) == (last, True, len(expected))
    assert [case.id for case in page.items] == expected[(last - 1) * 2:]
    first = caselist.district_cases({"band": "at_risk"}, "student", 0, per_page=2, settings=settings)
    assert (first.number, first.past_end, [c.id for c in first.items]) == (1, False, expected[:2])
    StudentStanding.update(band="satisfactory").where(StudentStanding.band == "severe").execute()
    for number in (1, 3):
        empty = caselist.district_cases({"band": "severe"}, "student", number, per_page=2, settings=settings)
        assert (empty.items, empty.total, empty.number, empty.past_end) == ([], 0, 1, number > 1)
