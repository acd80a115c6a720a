"""The demo district should convince a district: ages that fit grades, no
contact logged later than now, outcomes that fit their method, notes an
officer would write, and the look-up's example finds someone."""
import datetime

import pytest

from fieldapp import codes
from fieldapp.demo.seed import seed
from fieldapp.models import Contact, Student, utcnow
from fieldapp.students.search import search
from fieldapp.timefmt import local_today, school_year_start


@pytest.fixture
def demo(app):
    return seed(students=300)


def test_birth_dates_fit_the_grade(demo):
    cutoff = datetime.date(school_year_start(local_today()).year, 9, 1)
    for student in Student.select():
        age = cutoff.year - student.birth_date.year - (
            (cutoff.month, cutoff.day) < (student.birth_date.month, student.birth_date.day))
        assert age == 5 + (0 if student.grade == "K" else int(student.grade)), student.full_name


def test_contacts_are_never_later_than_now_and_fit_their_method(demo):
    contacts = list(Contact.select())
    assert contacts
    assert max(c.occurred_at for c in contacts) <= utcnow()
    for contact in contacts:
        assert contact.outcome in codes.METHOD_OUTCOMES[contact.method], (contact.method, contact.outcome)
    pairs = {(c.method, c.outcome) for c in contacts}
    every = {(m, o) for m, outcomes in codes.METHOD_OUTCOMES.items() for o in outcomes}
    assert every <= pairs  # every method and outcome shows somewhere in the demo


def test_notes_read_like_an_officers(demo):
    notes = [c.notes for c in Contact.select()]
    spanish = [n for n in notes if any(w in n for w in (" la ", " los ", " que "))]
    assert spanish and len(spanish) < len(notes) / 2
    assert not any("lorem" in n.lower() for n in notes)


def test_the_look_up_example_finds_someone(demo):
    assert [s.full_name for s in search("gar mar")][:1] == ["María García"]
    assert [s.full_name for s in search("100001")] == ["María García"]


def test_every_demo_school_and_officer_can_be_called_from_a_letter(demo):
    from fieldapp.models import School, User
    for school in School.select():
        assert school.address and school.phone, school.name
    for officer in User.select().where(User.role == "officer"):
        assert officer.phone, officer.email


def test_contacts_happen_in_working_hours_on_the_districts_clock(demo):
    """Demo contacts were dated at any hour: home visits at 2 AM, a letter at 1 AM."""
    from fieldapp.timefmt import to_local
    hours = {to_local(c.occurred_at).hour for c in Contact.select()}
    assert hours and min(hours) >= 7 and max(hours) <= 17, sorted(hours)


def test_demo_names_carry_no_misspellings():
    """The demo named children "Jos" and "Jos Hernádez": Faker's es_MX lists hold them."""
    from fieldapp.demo.seed import demo_fakers
    fake = demo_fakers(2026)["es"]
    names = {fake.first_name() for _ in range(4000)} | {fake.first_name_male() for _ in range(3000)}
    surnames = {fake.last_name() for _ in range(8000)}
    assert not names & {"Jos", "Rafaél", "José Manuél"} and "José" in names and "Rafael" in names
    assert not surnames & {"Hernádez", "de la Crúz"} and "Hernández" in surnames and "de la Cruz" in surnames
