"""A second note for dates a note already covers (a parent's, then a
doctor's) is kept, but the form says first which note covers them, when
and by whom it was recorded: it was recorded again without a word."""
from fieldapp.models import ExcuseNote
from tests.web.conftest import page_text
from tests.web.test_front_office import _absent_days, _school_days, no_case  # noqa: F401


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
    assert f"A note already covers {last:%b %-d, %Y} (recorded " in page and f"by {no_case['front'].name})" in page
    assert 'value="Dr Lee"' in page  # nothing typed is lost
    saved = auth.post(f"/students/{student.id}/excuse-notes/new", data={**doctor, "again_ok": "yes"})
    assert saved.status_code == 302 and ExcuseNote.select().count() == 2


def test_a_note_over_covered_and_attended_days_says_both_and_keeps_each_tick(auth, login_as, no_case):  # noqa: F811
    """Dates both attended and under an earlier note were asked one at a
    time, and the answer to the second came back without the first's tick:
    the note could never be recorded."""
    student = no_case["student_c"]
    absent = _absent_days(student, 2)
    attended = [day for day in _school_days(student, 12) if day not in absent and day < absent[0]][-1]
    login_as("front_office")
    form = {"first_day": absent[0].isoformat(), "last_day": absent[-1].isoformat(), "received_how": "phone",
            "from_whom": "Mother", "reason": "illness"}
    assert auth.post(f"/students/{student.id}/excuse-notes/new", data=form).status_code == 302
    wider = {**form, "first_day": attended.isoformat(), "from_whom": "Dr Lee"}
    warned = page_text(auth.post(f"/students/{student.id}/excuse-notes/new", data=wider))
    assert "marked present on" in warned and "A note already covers" in warned  # both at once
    # one ticked: the other is asked again, and the tick given stays ticked
    again = auth.post(f"/students/{student.id}/excuse-notes/new", data={**wider, "present_ok": "yes"})
    assert again.status_code == 422 and ExcuseNote.select().count() == 1
    html = again.get_data(as_text=True)
    assert 'name="present_ok" value="yes" aria-describedby="present_ok-error" checked' in html
    assert 'name="again_ok" value="yes" aria-describedby="again_ok-error">' in html
    both = auth.post(f"/students/{student.id}/excuse-notes/new", data={**wider, "present_ok": "yes", "again_ok": "yes"})
    assert both.status_code == 302 and ExcuseNote.select().count() == 2
