"""Letter template versions, languages, readiness checklists and fingerprints,
without a database."""
import datetime

import pytest

from fieldapp.documents import issue, readiness
from fieldapp.documents.letter_templates import NoTemplate, language_for, template_for
from fieldapp.models import Guardian


def test_californias_first_notice_changes_on_1_july_2025():
    before = template_for("CA", "first_notice", datetime.date(2025, 6, 30))
    after = template_for("CA", "first_notice", datetime.date(2025, 7, 1))
    assert (before.id, before.version) == ("ca-first-notice", 1)
    assert (after.id, after.version) == ("ca-first-notice", 2)
    assert after.effective_from == datetime.date(2025, 7, 1)
    assert "SB 691" in after.source


def test_a_state_without_its_own_letter_gets_the_general_one():
    template = template_for("TX", "first_notice", datetime.date(2026, 1, 5))
    assert template.id == "attendance-notice"
    assert template_for("CA", "conference_invitation", datetime.date(2026, 1, 5)).id == "conference-invitation"


def test_no_template_before_any_version_was_in_force():
    with pytest.raises(NoTemplate):
        template_for("CA", "first_notice", datetime.date(1999, 1, 1))


def test_letters_follow_the_guardians_language_when_a_letter_exists_in_it():
    assert language_for(Guardian(preferred_language="es")) == "es"
    assert language_for(Guardian(preferred_language="vi")) == "en"  # no Vietnamese letters yet
    assert language_for(None) == "en"


def _items(result):
    return {row["label"]: row for row in result["items"]}


def test_california_checklist_on_an_empty_file_says_what_is_missing():
    result = readiness.checklist("CA", readiness.Evidence())
    assert result["name"].startswith("California")
    assert result["met"] == 0 and result["total"] == len(result["items"]) >= 7
    items = _items(result)
    assert items["First truancy notification sent to the parent"]["detail"] == "No first truancy notification on file"
    assert "state in the file why not" in items["Home visit made, or the reason why not"]["detail"]


def test_california_checklist_on_a_complete_file_is_all_met():
    evidence = readiness.Evidence(
        unexcused_days=4, long_tardies=1,
        letters=[{"kind": "first_notice", "generated": "Jan 5", "sent": "Jan 6"},
                 {"kind": "referral_notice", "generated": "Mar 1", "sent": "Mar 2"}],
        methods={"conference": 1, "home_visit": 2}, reasons_recorded=True, plans=1, signed_plans=1)
    result = readiness.checklist("CA", evidence)
    assert result["met"] == result["total"], [r for r in result["items"] if not r["met"]]


def test_a_letter_made_but_not_sent_does_not_count():
    evidence = readiness.Evidence(letters=[{"kind": "first_notice", "generated": "Jan 5", "sent": ""}])
    row = _items(readiness.checklist("CA", evidence))["First truancy notification sent to the parent"]
    assert not row["met"] and "not recorded as sent" in row["detail"]


def test_texas_names_an_exemption_and_the_prevention_measures():
    evidence = readiness.Evidence(flags=["foster_care"], methods={"conference": 1}, absences_6_months=11)
    items = _items(readiness.checklist("TX", evidence))
    assert not items["No exemption applies"]["met"]
    assert "Foster care" in items["No exemption applies"]["detail"]
    assert items["Truancy prevention measures tried"]["met"]
    assert items["10 or more days or parts of days absent within six months"]["met"]


def test_an_unknown_state_gets_the_general_checklist():
    assert readiness.checklist("ZZ", readiness.Evidence())["name"].startswith("Attendance review")
    assert readiness.checklist("wa", readiness.Evidence())["name"].startswith("Washington")


def test_canonical_content_does_not_depend_on_key_order():
    assert issue.canonical({"b": 1, "a": [1, "é"]}) == issue.canonical({"a": [1, "é"], "b": 1})
    assert issue.sha256(issue.canonical({"a": 1})) == issue.sha256('{"a":1}')


def test_fingerprint_is_printed_in_groups_a_person_can_read():
    digest = issue.sha256("x")
    printed = issue.grouped(digest)
    assert printed.replace(" ", "") == digest and len(printed.split()) == 8
