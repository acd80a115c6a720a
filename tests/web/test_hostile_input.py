"""Hostile input on every form: a clear error next to the field, what was typed
kept, never a 500, never half a write."""
import datetime
import uuid

import pytest
from markupsafe import escape

from fieldapp.cases.text import strip_controls
from fieldapp.models import Case, CaseEvent, Contact
from fieldapp.timefmt import local_today, to_local
from fieldapp.models import utcnow
from tests import factories
from tests.web.conftest import DERIVED, page_text, row_counts

TODAY = local_today()
NOW_LOCAL = to_local(utcnow()).replace(second=0, microsecond=0)

HOSTILE = {
    "overlong": "Ñ" * 20_000,
    "nul": "a\x00b",
    "controls": "\x01\x07\x1b[31m\x7f\u200b",
    "emoji": "👩\u200d👧\u200d👦🏠✅",
    "right-to-left": "\u202eزيارة منزلية עברית",
    "sql": "'; DROP TABLE contact; --",
    "markup": "<script>alert(1)</script>",
    "impossible date": "2026-02-30",
    "impossible datetime": "2026-02-30T10:00",
    "far future": (TODAY + datetime.timedelta(days=400)).isoformat(),
    "year 9999": "9999-12-31T23:59",
    "year 1": "0001-01-01T00:00",
    "empty": "",
    "huge number": "9" * 40,
    "negative": "-1",
    "nan": "NaN",
}


def error_of(response, field):
    """The message shown next to a field, as the user sees it."""
    import re
    match = re.search(rf'<small class="error" id="{field}-error">([^<]*)</small>', page_text(response))
    return match.group(1) if match else None


def errors_shown(response):
    import re
    return re.findall(r'<small class="error" id="([^"]+)-error">([^<]*)</small>', page_text(response))


def assert_refused(response, before, field, message, kept=()):
    """422, the message next to the field, the typed values kept, nothing written."""
    assert response.status_code == 422, (response.status_code, errors_shown(response))
    assert error_of(response, field) == str(escape(message)), (
        f"next to {field}: {error_of(response, field)!r}; all errors: {errors_shown(response)}")
    for value in kept:
        assert str(escape(value)) in page_text(response), f"{value[:40]!r} was not kept"
    assert row_counts() == before


def contact(**overrides):
    form = {"uuid": str(uuid.uuid4()), "method": "home_visit", "outcome": "reached_parent",
            "reasons": ["transportation"], "people_present": ["parent"],
            "notes": "Talked at the door.", "occurred_at": NOW_LOCAL.strftime("%Y-%m-%dT%H:%M"),
            "follow_up_on": ""}
    form.update(overrides)
    return form


@pytest.fixture
def officer(world, login_as):
    return login_as("officer")


# -- logging a contact -----------------------------------------------------------

CONTACT_ERRORS = [
    ("notes", "x" * 5001, "Notes is too long: 5,001 characters; keep it under 5,000."),
    ("method", "", "Choose the method."),
    ("method", "home_visit'; DROP TABLE contact;--", "Choose a method from the list."),
    ("method", "phone\x00", "Choose a method from the list."),
    ("outcome", "", "Choose the outcome."),
    ("outcome", "📞", "Choose an outcome from the list."),
    ("reasons", ["illness", "witchcraft"], "Choose reasons from the list."),
    ("people_present", ["parent", "<b>"], "Choose people present from the list."),
    ("occurred_at", "2026-02-30T10:00", "Give the date and time as YYYY-MM-DD HH:MM."),
    ("occurred_at", "yesterday", "Give the date and time as YYYY-MM-DD HH:MM."),
    ("occurred_at", (NOW_LOCAL + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
     "This is in the future; give the time the contact happened."),
    ("occurred_at", "9999-12-31T23:59", "This is in the future; give the time the contact happened."),
    ("occurred_at", "0001-01-01T00:00", "This is more than a year ago; check the year."),
    ("follow_up_on", "2026-02-30", "Give the follow-up date as YYYY-MM-DD."),
    ("follow_up_on", (TODAY - datetime.timedelta(days=3)).isoformat(),
     "The follow-up date must be on or after the contact."),
    ("follow_up_on", "9999-12-31", "The follow-up date must be within a year."),
    ("language", "klingon", "Choose a language from the list."),
]


@pytest.mark.parametrize("field,value,message", CONTACT_ERRORS,
                         ids=[f"{f}={v!r:.30}" for f, v, _ in CONTACT_ERRORS])
def test_a_bad_contact_field_is_named_and_nothing_is_saved(client, auth, world, officer,
                                                          field, value, message):
    before = row_counts()
    notes = "Kept: María's mother at the door 🏠" if field != "notes" else value
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(**{"notes": notes, field: value}))
    assert_refused(response, before, field, message, kept=[notes])


@pytest.mark.parametrize("when", ["9999-12-31", "9999-12-31T23:59", "0001-01-01"])
def test_a_time_off_the_calendar_with_a_follow_up_is_a_message_not_a_crash(client, auth, world,
                                                                          officer, when):
    """The follow-up's one-year horizon was once reckoned from a refused time:
    9999-12-31 plus a year overflowed (a 500). Now only the time is named."""
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(occurred_at=when, follow_up_on="9999-12-31"))
    assert response.status_code == 422
    assert row_counts() == before


@pytest.mark.parametrize("latitude,longitude", [("NaN", "0"), ("0", "1e999"), ("91", "0"),
                                                ("34.05", "-181"), ("north", "west")])
def test_an_impossible_position_is_refused(client, auth, world, officer, latitude, longitude):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(latitude=latitude, longitude=longitude))
    assert_refused(response, before, "location",
                   "The location is not a valid position; clear it or try again.")


def test_interpreter_without_a_language_is_asked_for(client, auth, world, officer):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(interpreter_used="1", language=""))
    assert_refused(response, before, "language", "Say which language the interpreter used.")


def test_a_form_without_its_id_asks_to_save_again(client, auth, world, officer):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(uuid="not-a-uuid"))
    assert_refused(response, before, "method",
                   "The form was incomplete; check the fields and save again.",
                   kept=["Talked at the door."])


def test_reusing_another_contacts_id_is_a_conflict_not_an_overwrite(client, auth, world, officer):
    before = row_counts()
    foreign = str(world["contact_b"].uuid)  # a contact in another school
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data=contact(uuid=foreign))
    assert response.status_code == 422
    assert "already saved with other content" in page_text(response)
    assert world["student_b"].first_name not in page_text(response)
    assert row_counts() == before


def test_front_office_cannot_log_a_home_visit(client, auth, world, login_as):
    login_as("front_office")
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data=contact())
    assert_refused(response, before, "method", "Choose a method from the list.")


def test_missing_fields_are_all_named_at_once(client, auth, world, officer):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data={"uuid": str(uuid.uuid4())})
    assert response.status_code == 422
    assert error_of(response, "method") == "Choose the method."
    assert error_of(response, "outcome") == "Choose the outcome."
    assert "Check the 2 fields marked below" in page_text(response)
    assert row_counts() == before


@pytest.mark.parametrize("notes,stored", [
    ("Nadie en casa\x00; dejé aviso\x07.", "Nadie en casa; dejé aviso."),
    ("Familia contenta 👨‍👩‍👧 ✅", "Familia contenta 👨‍👩‍👧 ✅"),
    ("تحدثت مع الأم. אמא בבית.", "تحدثت مع الأم. אמא בבית."),
    ("Robert'); DROP TABLE contact;--", "Robert'); DROP TABLE contact;--"),
    ("<script>alert('x')</script>", "<script>alert('x')</script>"),
], ids=["control characters", "emoji", "right-to-left", "sql", "markup"])
def test_odd_but_harmless_text_is_kept_and_shown_safely(client, auth, world, officer, notes, stored):
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data=contact(notes=notes))
    assert response.status_code == 302
    saved = Contact.select().order_by(Contact.id.desc()).get()
    assert saved.notes == stored
    timeline = page_text(client.get(f"/students/{world['student_a'].id}"))
    assert str(escape(stored)) in timeline
    assert "<script>alert" not in timeline


def test_a_body_too_large_is_refused_plainly(client, auth, world, officer):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(notes="x" * (6 * 1024 * 1024)))
    assert response.status_code == 413
    assert "too large" in page_text(response)
    assert row_counts() == before


# -- siblings ---------------------------------------------------------------------

@pytest.fixture
def household(world):
    """María (school A, case_a) has a brother at school A and a sister at school B,
    all sharing a guardian and an address; each has an open case."""
    brother = factories.gen_student(world["school_a"], first="Mateo", last="García")
    sister = factories.gen_student(world["school_b"], first="Sofía", last="García")
    guardian = factories.gen_guardian([brother, sister], first="Rosa")
    from fieldapp.models import StudentGuardian
    StudentGuardian.create(student=world["student_a"], guardian=guardian, relationship="mother")
    return {"brother": brother, "sister": sister,
            "brother_case": factories.gen_case(brother, world["officer"]),
            "sister_case": factories.gen_case(sister, world["other_officer"])}


def test_a_sibling_in_another_school_is_refused_by_name(client, auth, world, officer, household):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(siblings=[str(household["brother"].id),
                                                str(household["sister"].id)]))
    assert_refused(response, before, "siblings", "Choose siblings from the list.",
                   kept=["Talked at the door."])
    assert "Sofía" not in page_text(response)


def test_siblings_only_for_a_home_visit(client, auth, world, officer, household):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new",
                         data=contact(method="phone", siblings=[str(household["brother"].id)]))
    assert_refused(response, before, "siblings", "Only a home visit can be logged for siblings at once.")


def test_a_household_visit_is_logged_once_for_each_child_in_scope(client, auth, world, officer,
                                                                  household):
    form = contact(siblings=[str(household["brother"].id)])
    first = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data=form)
    again = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data=form)  # double tap
    assert first.status_code == again.status_code == 302
    visits = list(Contact.select().where(Contact.household_visit.is_null(False)))
    assert sorted(c.student_id for c in visits) == sorted([world["student_a"].id,
                                                           household["brother"].id])
    assert len({c.household_visit for c in visits}) == 1
    assert not Contact.select().where(Contact.student == household["sister"]).exists()


# -- amending -----------------------------------------------------------------------

def test_an_amendment_needs_a_reason(client, auth, world, officer):
    before = row_counts()
    response = auth.post(f"/contacts/{world['contact_a'].id}/amend",
                         data=contact(notes="Fixed notes", amendment_reason="  \x00 "))
    assert_refused(response, before, "amendment_reason", "The reason for the correction is required.",
                   kept=["Fixed notes"])


def test_an_overlong_amendment_reason_is_refused(client, auth, world, officer):
    before = row_counts()
    response = auth.post(f"/contacts/{world['contact_a'].id}/amend",
                         data=contact(amendment_reason="y" * 1001))
    assert_refused(response, before, "amendment_reason",
                   "The reason for the correction is too long: 1,001 characters; keep it under 1,000.")


def test_an_officer_cannot_amend_someone_elses_contact(client, auth, world, officer):
    by_front_office = factories.gen_contact(world["case_a"], world["front"], method="phone")
    before = row_counts()
    for contact_id in (by_front_office.id, world["contact_b"].id):
        response = auth.post(f"/contacts/{contact_id}/amend",
                             data=contact(amendment_reason="Mine now."))
        assert response.status_code == 403
    assert row_counts() == before


def test_a_corrected_contact_cannot_be_corrected_twice(client, auth, world, officer):
    first = auth.post(f"/contacts/{world['contact_a'].id}/amend",
                      data=contact(amendment_reason="Wrong outcome."))
    assert first.status_code == 302
    before = row_counts()
    second = auth.post(f"/contacts/{world['contact_a'].id}/amend",
                       data=contact(amendment_reason="Again."))
    assert_refused(second, before, "amendment_reason",
                   "This contact was already corrected; amend the latest correction.")


# -- cases ---------------------------------------------------------------------------

@pytest.fixture
def new_student(world):
    return factories.gen_student(world["school_a"], first="Lucía", last="Ramírez")


@pytest.mark.parametrize("field,value,message", [
    ("stage", "supreme_court", "Choose a stage from the list."),
    ("stage", "monitoring\x00", "Choose a stage from the list."),
    ("flags", ["homeless", "royalty"], "Choose flags from the list."),
    ("note", "z" * 2001, "Note is too long: 2,001 characters; keep it under 2,000."),
], ids=["unknown stage", "stage with NUL", "unknown flag", "overlong note"])
def test_opening_a_case_with_bad_input(client, auth, world, officer, new_student, field, value, message):
    before = row_counts()
    note = "Three unexcused days 📅" if field != "note" else value
    response = auth.post(f"/students/{new_student.id}/cases/new",
                         data={"stage": "monitoring", "note": note, field: value})
    assert_refused(response, before, field, message, kept=[note])


def test_a_second_open_case_is_refused(client, auth, world, officer):
    """The officer is shown the case there is, with the note they typed."""
    before = row_counts()
    response = auth.post(f"/students/{world['student_a'].id}/cases/new",
                         data={"stage": "monitoring", "note": "Again <b>"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/students/{world['student_a'].id}")
    assert row_counts() == before
    page = page_text(client.get(response.headers["Location"]))
    assert "This student already has an open case; here it is. Your note was not added to it: Again &lt;b&gt;" in page


@pytest.mark.parametrize("form,field,message", [
    ({}, "closure_reason", "Choose the closure reason."),
    ({"closure_reason": "bribery"}, "closure_reason", "Choose a closure reason from the list."),
    ({"closure_reason": "other", "closure_note": " \x00\u200b "}, "closure_note", "Note is required."),
    ({"closure_reason": "transferred", "closure_note": "w" * 2001}, "closure_note",
     "Note is too long: 2,001 characters; keep it under 2,000."),
], ids=["missing reason", "unknown reason", "other without note", "overlong note"])
def test_closing_a_case_with_bad_input(client, auth, world, officer, form, field, message):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/close", data=form)
    assert_refused(response, before, field, message)
    assert Case.get_by_id(world["case_a"].id).is_open


def test_closing_keeps_what_was_typed(client, auth, world, officer):
    response = auth.post(f"/cases/{world['case_a'].id}/close",
                         data={"closure_note": "Se mudó a Tijuana ✈"})
    assert response.status_code == 422
    assert "Se mudó a Tijuana ✈" in page_text(response)


@pytest.mark.parametrize("form,field,message", [
    ({"stage": "conference"}, "note", "Why is required."),
    ({"stage": "monitoring", "note": "No change"}, "stage", "The case is already at this stage."),
    ({"stage": "'; DROP TABLE case;--", "note": "x"}, "stage", "Choose a stage from the list."),
    ({"stage": "conference", "note": "n" * 2001}, "note",
     "Why is too long: 2,001 characters; keep it under 2,000."),
], ids=["no reason", "same stage", "unknown stage", "overlong reason"])
def test_changing_stage_with_bad_input(client, auth, world, officer, form, field, message):
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/stage", data=form)
    assert_refused(response, before, field, message)
    assert Case.get_by_id(world["case_a"].id).stage == "monitoring"


def test_writing_to_a_case_out_of_scope_is_forbidden(client, auth, world, officer):
    before = row_counts()
    case_b = world["case_b"]
    for url, form in ((f"/cases/{case_b.id}/close", {"closure_reason": "moved_away"}),
                      (f"/cases/{case_b.id}/stage", {"stage": "court", "note": "x"}),
                      (f"/cases/{case_b.id}/contacts/new", contact()),
                      (f"/students/{world['student_b'].id}/cases/new", {"stage": "monitoring"})):
        assert auth.post(url, data=form).status_code == 403, url
    assert row_counts() == before


def test_a_closed_case_takes_no_contacts(client, auth, world, officer):
    assert auth.post(f"/cases/{world['case_a'].id}/close",
                     data={"closure_reason": "attendance_improved"}).status_code == 302
    before = row_counts()
    response = auth.post(f"/cases/{world['case_a'].id}/contacts/new", data=contact())
    assert response.status_code == 409
    assert "closed" in page_text(response)
    assert row_counts() == before
    assert CaseEvent.select().where(CaseEvent.kind == "closed").count() == 1


# -- every field, every hostile value: never a 500, a refusal writes nothing ----------

def _forms(world):
    case = world["case_a"]
    return {
        "contact": (f"/cases/{case.id}/contacts/new", contact,
                    ("uuid", "method", "outcome", "reasons", "people_present", "notes",
                     "occurred_at", "follow_up_on", "interpreter_used", "language",
                     "latitude", "longitude", "siblings")),
        "amend": (f"/contacts/{world['contact_a'].id}/amend",
                  lambda **o: contact(**{"amendment_reason": "Typo.", **o}),
                  ("method", "outcome", "notes", "occurred_at", "follow_up_on",
                   "amendment_reason", "uuid")),
        "stage": (f"/cases/{case.id}/stage", lambda **o: {"stage": "conference", "note": "x", **o},
                  ("stage", "note")),
        "close": (f"/cases/{case.id}/close",
                  lambda **o: {"closure_reason": "other", "closure_note": "x", **o},
                  ("closure_reason", "closure_note")),
    }


@pytest.mark.parametrize("form_name", ["contact", "amend", "stage", "close"])
def test_every_field_survives_every_hostile_value(client, auth, world, officer, form_name):
    url, build, fields = _forms(world)[form_name]
    for field in fields:
        for kind, value in HOSTILE.items():
            data = build(**{field: [value] if field in ("reasons", "people_present", "siblings")
                            else value})
            if field != "uuid":
                data["uuid"] = str(uuid.uuid4())
            before = row_counts()
            response = auth.post(url, data=data)
            where = f"{form_name}.{field} = {kind}"
            assert response.status_code in (302, 409, 422), f"{where}: {response.status_code}"
            if response.status_code != 302:
                assert row_counts() == before, f"{where}: refused but wrote"


SEARCHES = list(HOSTILE.values()) + ["%", "_", "gar%", "\\", "' OR '1'='1", "*", "  "]


def test_search_survives_hostile_queries_and_keeps_them(client, world, officer):
    before = row_counts(skip=("access_log",) + DERIVED)
    for query in SEARCHES:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get("/students", query_string={"q": query}, headers=headers)
            assert response.status_code == 200, (query, response.status_code)
            assert world["student_b"].last_name not in page_text(response)
        full = page_text(client.get("/students", query_string={"q": query}))
        shown = strip_controls(query)[:100]
        assert "\x00" not in full
        assert str(escape(shown)) in full or not shown.strip(), f"{query[:20]!r} not kept"
    assert row_counts(skip=("access_log",) + DERIVED) == before


def test_search_for_percent_finds_nobody_rather_than_everybody(client, world, officer):
    text = page_text(client.get("/students", query_string={"q": "%"}))
    assert world["student_a"].last_name not in text


@pytest.mark.parametrize("args,field,message", [
    ({"officer": "abc"}, "officer", "No officer has the number “abc”. Choose from the list."),
    ({"officer": "9" * 40}, "officer", "No officer has the number “" + "9" * 40 + "”. Choose from the list."),
    ({"school": "1; DROP TABLE school"}, "school",
     "No school has the number “1; DROP TABLE school”. Choose from the list."),
    ({"method": "carrier_pigeon"}, "method", "“carrier_pigeon” is not one of the choices. Choose from the list."),
    ({"outcome": "\x00"}, "outcome", "“\N{REPLACEMENT CHARACTER}” is not one of the choices. Choose from the list."),
    ({"date_from": "2026-02-30"}, "date_from", "“2026-02-30” is not a date. Use a date like 2026-09-30."),
    ({"date_to": "9999-12-31"}, "date_to", "Use a date between 1900 and 2100."),
    ({"date_from": "0001-01-01"}, "date_from", "Use a date between 1900 and 2100."),
    ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to",
     "The end date is before the start date."),
], ids=["officer word", "officer huge", "school sql", "method", "outcome nul", "impossible date",
        "year 9999", "year 1", "end before start"])
def test_supervisor_filters_say_what_is_wrong(client, world, login_as, args, field, message):
    login_as("supervisor")
    before = row_counts()
    response = client.get("/supervisor/contacts", query_string=args)
    assert response.status_code == 422
    assert error_of(response, field) == str(escape(message))
    assert row_counts() == before
    # The rest of the log still shows; the bad filter is ignored.
    assert world["student_a"].last_name in page_text(response)


def test_supervisor_filters_survive_every_hostile_value(client, world, login_as):
    login_as("supervisor")
    for key in ("officer", "school", "method", "outcome", "date_from", "date_to", "after"):
        for kind, value in HOSTILE.items():
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get("/supervisor/contacts", query_string={key: value},
                                      headers=headers)
                assert response.status_code in (200, 422), f"{key}={kind}: {response.status_code}"
