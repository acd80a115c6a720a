"""The contact log's filters as a supervisor reaches them: a student chosen
from the form or from the student's page, a backwards range left out as the
page says, and a place in the list that is none said, with the list's count."""
from tests import factories
from tests.web.conftest import page_text


def test_the_student_page_links_to_that_students_contacts_in_the_log(auth, login_as, world):
    login_as("supervisor")
    page = page_text(auth.client.get(f"/students/{world['student_b'].id}"))
    assert f'href="/supervisor/contacts?student={world["student_b"].id}"' in page
    log = page_text(auth.client.get(f"/supervisor/contacts?student={world['student_b'].id}"))
    assert "1 contact" in log and "Núñez, José" in log and "All students" in log


def test_a_student_is_found_by_name_from_the_logs_form_and_can_be_cleared(auth, login_as, world):
    login_as("supervisor")
    form = page_text(auth.client.get("/supervisor/contacts"))
    assert 'name="student_q"' in form
    found = auth.client.get("/supervisor/contacts?student_q=Núñez")
    page = page_text(found)
    assert found.status_code == 200 and "1 contact" in page and "José Núñez" in page
    assert 'href="/supervisor/contacts">All students<' in page  # the way to clear it


def test_several_students_found_are_offered_to_choose_from(auth, login_as, world):
    twin = factories.gen_student(world["school_a"], first="Josefa", last="Núñez")
    login_as("supervisor")
    answer = auth.client.get("/supervisor/contacts?student_q=Núñez&reason=illness")
    page = page_text(answer)
    assert "Several students match “Núñez”: choose one below." in page
    assert f'href="/supervisor/contacts?student={twin.id}&amp;reason=illness"' in page
    nobody = page_text(auth.client.get("/supervisor/contacts?student_q=Zzyzx"))
    assert "No student matches “Zzyzx”." in nobody


def test_a_backwards_range_said_to_be_left_out_is_left_out(auth, login_as, world):
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/contacts?date_from=2026-12-01&date_to=2026-01-01"))
    assert "These filters cannot be used and are left out of the list" in page
    assert "The end date is before the start date." in page and "The start date is after the end date." in page
    assert "2 contacts" in page and "No contacts match" not in page


def test_a_backwards_range_on_the_access_log_is_left_out_too(auth, login_as, world):
    login_as("supervisor")
    auth.client.get(f"/students/{world['student_a'].id}")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}/access-log"
                                     "?date_from=2099-12-01&date_to=2026-01-01"))
    assert "The start date is after the end date." in page and "Read the record<" in page


def test_a_place_in_the_list_that_is_none_is_said_and_the_list_counted_from_its_start(auth, login_as, world):
    login_as("supervisor")
    answer = auth.client.get("/supervisor/contacts?after=garbage")
    page = page_text(answer)
    assert answer.status_code == 200
    assert "“garbage” is not a place in this list; it is shown from its start." in page
    assert "2 contacts" in page


def test_a_place_in_the_access_log_that_is_none_is_said(auth, login_as, world):
    login_as("supervisor")
    auth.client.get(f"/students/{world['student_a'].id}")
    page = page_text(auth.client.get(f"/students/{world['student_a'].id}/access-log?after=garbage"))
    assert "“garbage” is not a place in this list; it is shown from its start." in page
    assert "Read the record<" in page


def test_the_file_of_a_log_narrowed_to_a_typed_student_holds_that_student_alone(auth, login_as, world):
    """The log's file reads the typed student as its page does: it held every
    student's contacts (and logged each student as disclosed) while the page
    showed one student's."""
    from fieldapp.models import AccessLog
    supervisor = login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/contacts?student_q=Núñez"))
    assert "1 contact" in page
    answer = auth.post("/supervisor/export/contacts?student_q=Núñez", {"format": "csv"})
    lines = answer.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert answer.status_code == 200 and len(lines) == 2 and "Núñez" in lines[1], lines
    disclosed = {row.student_id for row in AccessLog.select().where(
        (AccessLog.action == "export") & (AccessLog.user == supervisor.id))}
    assert disclosed == {world["student_b"].id}
    factories.gen_student(world["school_a"], first="Josefa", last="Núñez")
    several = auth.post("/supervisor/export/contacts?student_q=Núñez", {"format": "csv"})
    assert several.status_code == 422 and "Several students match" in page_text(several)


def test_more_students_found_than_are_offered_is_said(auth, login_as, world):
    for i in range(11):
        factories.gen_student(world["school_a"], first=f"Ana{i}", last="Garcés")
    login_as("supervisor")
    page = page_text(auth.client.get("/supervisor/contacts?student_q=Garcés"))
    assert "More than 10 students match “Garcés”: the first 10 are below. Type more of the name, or the local ID." \
        in page
    assert page.count("/supervisor/contacts?student=") >= 10


def test_every_page_of_the_log_says_how_many_match_and_where_it_stands(auth, login_as, world):
    """Older pages (after=...) say the count of matching contacts and which
    rows they show, as the first page does: a page opened from its link, a
    bookmark or a reload is not left without them."""
    import re
    for _ in range(105):
        factories.gen_contact(world["case_a"], world["officer"])
    login_as("supervisor")
    url = f"/supervisor/contacts?officer={world['officer'].id}"
    seen = []
    while url:
        page = page_text(auth.client.get(url))
        heading = re.search(r"<h1>.*?</h1>", page, re.S).group(0)
        assert "106 contacts" in heading
        seen.append(re.search(r"Contacts \d+–\d+ of 106", page).group(0))
        older = re.search(r'<a href="([^"]+)">Older contacts</a>', page)
        url = older.group(1).replace("&amp;", "&") if older else None
    assert seen == ["Contacts 1–50 of 106", "Contacts 51–100 of 106", "Contacts 101–106 of 106"]


def test_a_student_not_yet_chosen_shows_no_count_nor_rows_that_would_read_as_theirs(auth, login_as, world):
    """Several students found, or an id of none: the page asks to choose a
    student, says why first (above the form), and neither counts nor lists
    the district's whole log as if it were theirs."""
    factories.gen_student(world["school_a"], first="Josefa", last="Núñez")
    login_as("supervisor")
    for query in ("student_q=Núñez", "student=999999"):
        answer = auth.client.get(f"/supervisor/contacts?{query}")
        page = page_text(answer)
        assert answer.status_code == 422
        heading = page[page.index("<h1>"):page.index("</h1>")]
        assert "Choose a student" in heading and "contact" not in heading
        assert page.index('id="filters-not-recognised"') < page.index('class="filters"')
        assert 'class="log-row"' not in page and "No contacts match" not in page
