"""A case's history says each change with its field and readable values
(stage and closure labels, officers' and schools' names), on the student's
page and in the case report, never the stored codes."""
from fieldapp.documents.case_report import _steps
from fieldapp.models import CaseEvent
from tests.web.conftest import page_text

LINES = [
    ("stage", "monitoring", "first_notice", "stage: Monitoring → First notice sent"),
    ("assigned", "Ann First", "Bea Second", "assigned to Bea Second (was Ann First)"),
    ("circumstances", "homeless", "homeless,foster_care", "circumstances changed: added Foster care"),
    ("transferred", "Lincoln Elementary", "Roosevelt Middle",
     "moved with the student from Lincoln Elementary to Roosevelt Middle"),
    ("closed", "first_notice", "attendance_improved", "closed: Attendance improved"),
]


def _history(world):
    case = world["case_a"]
    for kind, before, after, _ in LINES:
        CaseEvent.create(case=case, kind=kind, from_value=before, to_value=after, by=world["supervisor"])
    return case


def test_the_students_page_says_each_change_in_words(auth, login_as, world):
    _history(world)
    login_as("supervisor")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}"))
    for *_, words in LINES:
        assert words in page
    for raw in ("first_notice", "attendance_improved", "foster_care"):
        assert f"— {raw}" not in page and f"{raw} by" not in page


def test_the_case_report_says_each_change_in_words(app, world):
    case = _history(world)
    said = [row["what"] for row in _steps(case, [])]
    assert "Assigned to Bea Second (was Ann First)" in said
    assert "Circumstances changed: added Foster care" in said
    assert "Moved with the student from Lincoln Elementary to Roosevelt Middle" in said
    assert not {"assigned", "circumstances", "transferred"} & set(said)  # the bare kinds of before
