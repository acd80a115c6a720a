"""A letter a case owes is made once, whoever asks at the same moment: two
tabs (or two supervisors, two workers) printing the day's letters, one
letter made on a case's page, a letter logged by hand from a phone.

Each race holds the first maker's work, written but not committed, in
another connection while the second runs, and commits it once the second
waits on it: on PostgreSQL the second has read the letters as still owed
and waits at the cases' rows; on SQLite a write transaction takes the lock
as it begins, so the second waits there. Either way the second makes
nothing twice and says who made each letter, when, and in which document."""
import datetime
import uuid

import pytest

from fieldapp.cases import contacts
from fieldapp.db import database
from fieldapp.documents import letters, letters_due, owed
from fieldapp.models import Contact, Letter, OwedLetter, School
from fieldapp.rules.settings import RuleSettings
from fieldapp.timefmt import today_for_school
from tests import documents_support as support
from tests import factories
from tests.races import race

SETTINGS = RuleSettings(state="CA")


def _setup(n=3):
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    supervisors = factories.gen_user("supervisor", name="Sam Reyes"), factories.gen_user("supervisor", name="Kim Lee")
    cases = [support.gen_truant_case(school, officer, f"Kid{i}", "Race") for i in range(n)]
    return School.get_by_id(school.id), officer, supervisors, cases


def _shown(school):
    """The ticks of the day's list as a page shows them: {case id: (kind, cycle)}."""
    due = letters_due.letters_due(SETTINGS, school.id, today_for_school(school.id))
    return {item.case.id: (item.kind, item.cycle) for item in due}


def _race(first, second):
    """Run first, held uncommitted, then second until it waits on first; both results."""
    made, then = race(first, second, join=120)
    assert not isinstance(then, Exception), then
    return made, then


@pytest.mark.parametrize("second_asks", ["ticked", "all"])
def test_two_tabs_printing_the_same_letters_at_once_make_each_once(app, second_asks):
    """The second a tab with the same ticks, or the command line (flask letters-due: every letter due)."""
    school, _, (one, two), cases = _setup()
    shown = _shown(school)
    assert sorted(shown) == [c.id for c in cases]
    left = []
    (record, made), (second_record, second_made) = _race(
        lambda: letters_due.print_due_letters(one, school, SETTINGS, reviewed=dict(shown)),
        lambda: letters_due.print_due_letters(two, school, SETTINGS, left_out=left,
                                              reviewed=dict(shown) if second_asks == "ticked" else None))
    assert len(made) == 3 and second_record is None and second_made == []
    assert Letter.select().count() == 3 and OwedLetter.select().count() == 3
    assert Contact.select().where(Contact.method == "letter").count() == 3
    # The second says what happened to each ticked letter: made by the first, in its document.
    # (Asked for every letter due, it may read the list after the first committed: none due, none to explain.)
    said = [(x.case_id, x.why, x.by, x.document_id) for x in left]
    assert said == [(c.id, "made", "Sam Reyes", record.id) for c in cases] or (second_asks == "all" and said == [])
    if not left:
        return
    assert str(owed.reason(left[0])).startswith(
        f"Truancy notification for Kid0 Race was already made by Sam Reyes at ") and \
        str(owed.reason(left[0])).endswith(f"in document {record.id}.")


def test_a_letter_made_on_the_case_page_while_the_batch_prints_it_is_made_once(app):
    school, officer, (one, _), cases = _setup(2)
    shown = _shown(school)
    case = cases[0]
    kind, cycle = shown[case.id]
    choice = letters.default_choice(case, kind)
    choice.owed = cycle  # the letter the case page showed owed
    (record, made), (refused,) = _race(
        lambda: letters_due.print_due_letters(one, school, SETTINGS, reviewed=dict(shown)),
        lambda: _refusal(lambda: letters.generate_letter(officer, case, choice, SETTINGS)))
    assert len(made) == 2 and isinstance(refused, letters.AlreadyMade)
    assert (refused.left.why, refused.left.by, refused.left.document_id) == ("made", "Sam Reyes", record.id)
    assert Letter.select().where(Letter.case == case.id).count() == 1


def _refusal(work):
    try:
        return (work(),)
    except letters.LetterError as error:
        return (error,)


def test_a_letter_logged_from_a_phone_while_the_batch_prints_leaves_the_case_out(app):
    school, officer, (one, _), cases = _setup(2)
    shown = _shown(school)
    form = factories.contact_form(method="letter", outcome="letter_issued", reasons=[], people_present=[],
                                  notes="Handed the notice at the door.")
    clean, errors = contacts.validate_contact(form, officer)
    assert not errors, errors
    left = []
    _, (record, made) = _race(
        lambda: contacts.log_contact(officer, cases[0], clean, uuid.uuid4()),
        lambda: letters_due.print_due_letters(one, school, SETTINGS, reviewed=dict(shown), left_out=left))
    assert [letter.case_id for letter in made] == [cases[1].id]
    assert [(x.case_id, x.why, x.by) for x in left] == [(cases[0].id, "logged", "Dana Ortiz")]
    assert "a letter was logged as sent by Dana Ortiz" in str(owed.reason(left[0]))


def test_the_same_letter_asked_again_later_says_who_made_it_and_makes_nothing(app):
    """The second tab clicked seconds later: the list it shows no longer owes
    the letters; each ticked one is said made, by whom, in which document."""
    school, _, (one, two), cases = _setup(2)
    shown = _shown(school)
    record, made = letters_due.print_due_letters(one, school, SETTINGS, reviewed=dict(shown))
    assert len(made) == 2 and _shown(school) == {}
    left = []
    assert letters_due.print_due_letters(two, school, SETTINGS, reviewed=dict(shown), left_out=left) == (None, [])
    assert [(x.why, x.by, x.document_id) for x in left] == [("made", "Sam Reyes", record.id)] * 2
    assert Letter.select().count() == 2


def test_the_database_refuses_a_second_owed_letter_of_one_cycle(app):
    school, officer, _, cases = _setup(1)
    letter = letters.generate_letter(officer, cases[0], letters.default_choice(cases[0], "first_notice"), SETTINGS)
    claim = OwedLetter.get(OwedLetter.letter == letter.id)
    assert claim.cycle == datetime.date.fromisoformat(claim.cycle).isoformat()
    import peewee
    try:
        with database.atomic():
            OwedLetter.create(case=cases[0].id, kind="first_notice", cycle=claim.cycle, made_by=officer)
    except peewee.IntegrityError:
        pass
    else:
        raise AssertionError("a second owed letter of one cycle was accepted")



def test_a_phone_sending_a_letter_as_sent_while_the_batch_prints_leaves_the_case_out(app):
    from fieldapp.sync.batch import apply_batch
    from tests.unit.sync_entries import entry
    school, officer, (one, _), cases = _setup(2)
    shown = _shown(school)
    sent = [entry(cases[0], officer, method="letter", outcome="letter_issued", reasons=[], people_present=[],
                  notes="Notice handed to the mother."),
            entry(cases[1], officer, method="phone", outcome="no_answer", people_present=[])]
    left = []
    answers, (record, made) = _race(
        lambda: apply_batch(officer, sent, "phone-1"),
        lambda: letters_due.print_due_letters(one, school, SETTINGS, reviewed=dict(shown), left_out=left))
    assert [a["status"] for a in answers] == ["created", "created"]
    assert [letter.case_id for letter in made] == [cases[1].id]
    assert [(x.case_id, x.why, x.by) for x in left] == [(cases[0].id, "logged", "Dana Ortiz")]
