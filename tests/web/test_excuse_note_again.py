"""A second note for dates a note already covers (a parent's, then a
doctor's) is kept, but the form says first which note covers them, when
and by whom it was recorded: it was recorded again without a word."""
from fieldapp.models import ExcuseNote
from tests.web.conftest import page_text
from tests.web.test_front_office import _absent_days, no_case  # noqa: F401


def test_a_note_for_covered_dates_names_the_earlier_one_and_is_kept_once_confirmed(auth, login_as, no_case):  # noqa: F811
    student = no_case["student_c"]
    first, *_, last = _absent_days(student, 3)
    form = {"first_day": first.isoformat(), "last_day": last.isoformat(), "received_how": "phone",
            "from_whom": "Mother", "reason": "illness"}
    login_as("front_office")
    assert auth.post(f"/students/{student.id}/excuse-notes/new", data=form).status_code == 302
    doctor = {**form, "first_day": last.isoformat(), "last_day": "", "from_whom": "Dr Lee"}
    warned = auth.post(f"/students/{student.id}/excuse-notes/new", data=doctor)
    assert warned.status_code == 422 and ExcuseNote.select().count() == 1
    page = page_text(warned)
    assert f"A note already covers these dates (recorded " in page and f"by {no_case['front'].name})" in page
    assert 'value="Dr Lee"' in page  # nothing typed is lost
    saved = auth.post(f"/students/{student.id}/excuse-notes/new", data={**doctor, "again_ok": "yes"})
    assert saved.status_code == 302 and ExcuseNote.select().count() == 2
