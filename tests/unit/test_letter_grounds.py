"""Each letter kind against each state's rule set: a letter that states a step
of the law is made only when the standing shows that step reached, applying
and allowed (fieldapp.documents.letter_grounds)."""
import datetime

import pytest

from fieldapp.documents.letter_grounds import grounds_for
from fieldapp.documents.letter_templates import KINDS
from tests.unit.rules_support import D, case, standing, unexcused

WEDNESDAYS = [D(2025, 9, 3), D(2025, 9, 10), D(2025, 9, 17), D(2025, 9, 24), D(2025, 10, 1), D(2025, 10, 8),
              D(2025, 10, 15), D(2025, 10, 22), D(2025, 10, 29), D(2025, 11, 5), D(2025, 11, 12)]


def _on(state, count, record=None):
    return standing(state, unexcused(*WEDNESDAYS[:count]), D(2025, 11, 14), record=record,
                    born=D(2012, 1, 1), grade="08")


@pytest.mark.parametrize("state", ["CA", "TX", "WA", "PA"])
def test_with_nothing_on_record_only_the_invitation_may_be_made(state):
    result = _on(state, 0)
    allowed = {kind for kind in KINDS if grounds_for(kind, result).allowed}
    assert allowed == {"conference_invitation"}
    assert "the record shows 0" in grounds_for("first_notice", result).refused


@pytest.mark.parametrize("state,count", [("CA", 3), ("TX", 3), ("WA", 1), ("PA", 3)])
def test_the_notice_comes_with_the_first_step_of_the_law(state, count):
    assert not grounds_for("first_notice", _on(state, count - 1)).allowed
    assert grounds_for("first_notice", _on(state, count)).allowed


def test_a_california_referral_needs_five_truancies_and_the_conference_effort():
    assert "comes at 5 truancies" in grounds_for("referral_notice", _on("CA", 4)).refused
    five = grounds_for("referral_notice", _on("CA", 5))
    assert not five.allowed and "needs first what the record does not show" in five.refused
    tried = case(contacts=[(D(2025, 9, 20), "phone", "no_answer")])
    assert grounds_for("referral_notice", _on("CA", 5, tried)).allowed


def test_a_texas_court_referral_barred_by_an_exemption_is_refused():
    homeless = case(flags=["homeless"], contacts=[(D(2025, 9, 20), "conference", "reached_parent")])
    refused = grounds_for("referral_notice", _on("TX", 10, homeless)).refused
    assert "may not be taken" in refused and "Homeless" in refused


def test_the_logic_layer_makes_no_letter_the_record_does_not_support(app):
    """generate_letter and issue_letters judge the grounds themselves: a caller
    that skips the form and the day's list gets no notice stating what is false."""
    from fieldapp.documents import letters
    from fieldapp.documents.letters import LetterChoice, LetterError
    from fieldapp.models import Contact, DocumentRecord, Letter
    from fieldapp.rules.settings import RuleSettings
    from fieldapp.timefmt import local_today
    from tests import documents_support as support
    from tests import factories
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school])
    two = support.gen_truant_case(school, officer, "Leo", "Ruiz", truancies=2)
    four = support.gen_truant_case(school, officer, "Ana", "Soto", truancies=4)
    notice = LetterChoice("first_notice", "en", None, local_today())
    with pytest.raises(LetterError) as refused:
        letters.generate_letter(officer, two, notice, RuleSettings())
    assert "the record shows 2 truancies" in refused.value.errors["kind"]
    with pytest.raises(LetterError) as batch:
        letters.issue_letters(officer, school, [(four, notice), (two, notice)], RuleSettings(),
                              datetime.datetime.utcnow(), ("", ""), "Letters due")
    assert "Leo Ruiz" in batch.value.errors["kind"] and "the record shows 2" in batch.value.errors["kind"]
    assert (Letter.select().count(), DocumentRecord.select().count(), Contact.select().count()) == (0, 0, 0)
    assert letters.generate_letter(officer, four, notice, RuleSettings()).kind == "first_notice"
