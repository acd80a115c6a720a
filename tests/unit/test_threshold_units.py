"""A threshold reads as a person says it: "1 unexcused absence in a calendar
month", never "1 unexcused absences", in English and in Spanish, on the
screens (student page, rule-set page) and in the case report's checklist."""
import datetime

import pytest
from flask_babel import force_locale

from fieldapp.documents import readiness
from fieldapp.rules.settings import RuleSettings
from fieldapp.web.i18n import translate

DAY = datetime.date(2025, 10, 1)


def _step(state, code, **thresholds):
    version = RuleSettings(state=state, thresholds=thresholds).version_on(DAY)
    return version.step(code), version


@pytest.mark.parametrize("state, code, english", [
    ("WA", "wa_notice", "1 unexcused absence in a calendar month"),
    ("WA", "wa_conference", "3 unexcused absences in a calendar month"),
    ("CA", "ca_first_notice", "3 truancies this school year"),
    ("PA", "pa_saic", "the first unexcused absence after “Written notice to the parent that the child is "
                      "truant” was done"),
    ("WA", "wa_excused_conference", "5 excused absences in a calendar month, or 10 excused absences this "
                                    "school year"),
])
def test_each_threshold_says_its_unit_in_the_number_it_has(state, code, english):
    step, version = _step(state, code)
    assert str(step.describe_threshold(version)) == english


@pytest.mark.parametrize("state, code, english", [
    ("CA", "ca_first_notice", "1 truancy this school year"),
    ("TX", "tx_warning_notice", "1 unexcused day or part of a day in 4 weeks"),
    ("PA", "pa_notice", "1 unexcused absence this school year"),
])
def test_a_district_that_lowers_a_threshold_to_one_reads_it_in_the_singular(state, code, english):
    step, version = _step(state, code, **{code: 1})
    assert str(step.describe_threshold(version)) == english


@pytest.mark.parametrize("state, code, thresholds, spanish", [
    ("WA", "wa_notice", {}, "1 ausencia injustificada en un mes del calendario"),
    ("WA", "wa_conference", {}, "3 ausencias injustificadas en un mes del calendario"),
    ("CA", "ca_first_notice", {"ca_first_notice": 1}, "1 falta por ausentismo este año escolar"),
    ("CA", "ca_first_notice", {}, "3 faltas por ausentismo este año escolar"),
    ("TX", "tx_warning_notice", {"tx_warning_notice": 1}, "1 día o parte de un día injustificado en 4 semanas"),
    ("WA", "wa_excused_conference", {}, "5 ausencias justificadas en un mes del calendario, o 10 ausencias "
                                        "justificadas este año escolar"),
])
def test_spanish_thresholds_take_the_catalogs_plural_forms(app, state, code, thresholds, spanish):
    step, version = _step(state, code, **thresholds)
    with app.test_request_context(), force_locale("es"):
        assert translate(step.describe_threshold(version)) == spanish


def test_the_case_reports_checklist_says_one_day_in_the_singular():
    evidence = readiness.Evidence(unexcused_days=1, letters=[{"kind": "first_notice", "generated": "x",
                                                             "sent": ""}])
    details = [row["detail"] for row in readiness.checklist("PA", evidence)["items"]]
    assert "1 unexcused day (threshold 3)" in details
    assert not any("1 unexcused days" in d for d in details)
    ca = [row["detail"] for row in readiness.checklist("CA", evidence)["items"]]
    assert "1 unexcused day or long tardy (threshold 3)" in ca
    assert "1 of 1 letter not recorded as sent" in ca
    wa = readiness.checklist("WA", readiness.Evidence(most_in_a_month=1))["items"]
    assert "1 unexcused absence in the worst month (threshold 7)" in [row["detail"] for row in wa]
    sent = readiness.Evidence(letters=[{"kind": "first_notice", "generated": "x", "sent": "y"}])
    assert "The one letter is recorded as sent" in [r["detail"] for r in readiness.checklist("CA", sent)["items"]]
