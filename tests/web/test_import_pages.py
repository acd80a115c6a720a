"""Admins import district files through the page and read the history."""
import io
import os
import zipfile

from fieldapp.jobs.runner import new_key
from fieldapp.models import AttendanceEvent, ImportRun, Job, Student
from tests.jobs_support import job_done
from tests.web.conftest import page_text

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def gen_import_run(user):
    """A refused attendance import by user, as the history keeps it."""
    return ImportRun.create(kind="attendance", filename="monday.csv", user=user, source="upload",
                            outcome="refused", rows_read=2, rows_rejected=1,
                            problems_json='[["monday.csv", 2, "unknown student \'9999\'"]]',
                            problem_count=1)


def roster_zip():
    buffer = io.BytesIO()
    folder = os.path.join(DATA, "oneroster-bulk")
    with zipfile.ZipFile(buffer, "w") as z:
        for name in os.listdir(folder):
            z.write(os.path.join(folder, name), name)
    buffer.seek(0)
    return buffer


def post_upload(auth, kind, stream, filename, **extra):
    """Post the upload form (with the key its page makes): the answer leads to the preview's job."""
    return auth.post("/admin/imports", {"kind": kind, "file": (stream, filename), "job_key": new_key(),
                                        **extra}, content_type="multipart/form-data")


def upload(auth, kind, stream, filename, **extra):
    """Upload a file and do the preview's job; returns the import's page
    address (or the answer, when the form was refused)."""
    answer = post_upload(auth, kind, stream, filename, **extra)
    if answer.status_code != 303:
        return answer
    job = job_done(auth, answer)
    assert job.state == "done", job.reason
    return f"/admin/imports/{job.result['run_id']}"


def apply(auth, url, confirmation=""):
    """Apply a previewed import from its page and do the job; returns the job."""
    return job_done(auth, auth.post(url + "/apply", {"confirmation": confirmation}))


def upload_and_apply(auth, kind, stream, filename, **extra):
    """Upload, then apply the preview (typing the confirmation it asks for);
    returns the applied import's page address."""
    url = upload(auth, kind, stream, filename, **extra)
    run = ImportRun.get_by_id(int(url.rsplit("/", 1)[1]))
    job = apply(auth, url, run.confirm_phrase)
    assert job.state == "done", job.reason
    return url


def test_an_admin_imports_rosters_then_attendance_and_reads_the_history(auth, login_as):
    admin = login_as("admin")
    url = upload(auth, "oneroster", roster_zip(), "rsis-export.zip")
    preview = page_text(auth.client.get(url))
    assert "Preview: waiting for confirmation" in preview and "3</strong> students created" in preview
    assert "Nothing has changed yet" in preview
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 0
    # The bulk roster leaves out both schools already stored: it asks for a typed confirmation.
    assert "type <strong>deactivate 2</strong>" in preview
    refused = auth.post(url + "/apply", {"confirmation": "yes"})
    assert refused.status_code == 422 and "Type deactivate 2 exactly" in page_text(refused)
    assert 'value="yes"' in page_text(refused)  # what was typed stays
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 0
    applied = apply(auth, url, "deactivate 2")
    assert applied.state == "done" and applied.result["outcome"] == "applied"
    detail = page_text(auth.client.get(url))
    assert "rsis-export.zip" in detail and "Applied" in detail and "3</strong> students created" in detail
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 3
    with open(os.path.join(DATA, "attendance.csv"), "rb") as f:
        upload_and_apply(auth, "attendance", io.BytesIO(f.read()), "attendance.csv")
    history = page_text(auth.client.get("/admin/imports"))
    assert "attendance.csv" in history and "rsis-export.zip" in history and admin.name in history


def test_a_broken_file_is_refused_with_its_lines_and_changes_nothing(auth, login_as):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    before = AttendanceEvent.select().count()
    bad = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
           "1001,sch-100,2025-09-31,Unexcused Absence\n1001,sch-100,2025-09-02,Sick\n")
    page = page_text(auth.client.get(upload(auth, "attendance", io.BytesIO(bad.encode()), "monday.csv")))
    assert "Refused: nothing changed" in page
    assert "eventDate &#39;2025-09-31&#39; is not a day of the calendar: month 9 of 2025 has 30 days" in page
    assert "unknown category &#39;Sick&#39;" in page
    assert "monday.csv, row 2:" in page and "monday.csv, row 3:" in page
    assert AttendanceEvent.select().count() == before
    run = ImportRun.select().order_by(ImportRun.id.desc()).first()
    assert run.outcome == "refused" and run.problem_count == 2


def test_skipping_bad_rows_from_the_page(auth, login_as):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    mixed = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
             "1001,sch-100,2025-09-02,Unexcused Absence\n9999,sch-100,2025-09-02,Tardy\n")
    url = upload_and_apply(auth, "attendance", io.BytesIO(mixed.encode()), "mixed.csv", skip_bad_rows="1")
    page = page_text(auth.client.get(url))
    assert "Applied, bad rows skipped" in page and "unknown student &#39;9999&#39;" in page
    assert AttendanceEvent.select().count() == 1


def test_the_page_takes_the_date_order_and_shows_what_the_file_left_aside(auth, login_as):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    day_first = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,sessionName\n"
                 "1001,061234500001,05/09/2025,Unexcused Absence,Fall\n")
    refused = upload(auth, "attendance", io.BytesIO(day_first.encode()), "day-first.csv")
    page = page_text(auth.client.get(refused))
    assert "could be May 9, 2025 (month first) or Sep 5, 2025 (day first)" in page
    url = upload(auth, "attendance", io.BytesIO(day_first.encode()), "day-first.csv", date_order="day-first")
    page = page_text(auth.client.get(url))
    assert "Slash dates" in page and "day first" in page
    assert "day-first.csv: not read, ignored: sessionName" in page
    assert apply(auth, url).result["outcome"] == "applied"
    assert [e.date.isoformat() for e in AttendanceEvent.select()] == ["2025-09-05"]
    wrong = upload(auth, "attendance", io.BytesIO(day_first.encode()), "x.csv", date_order="yyyy")
    assert wrong.status_code == 422 and "Choose month first, day first" in page_text(wrong)


def test_the_form_says_what_is_missing_and_keeps_the_choice(auth, login_as):
    login_as("admin")
    answer = auth.post("/admin/imports", {"kind": "attendance"}, content_type="multipart/form-data")
    page = page_text(answer)
    assert answer.status_code == 422 and "Choose a file to import." in page
    assert '<option value="attendance" selected>' in page
    answer = upload(auth, "oneroster", io.BytesIO(b"x"), "users.csv")
    assert answer.status_code == 422 and "as one .zip file" in page_text(answer)
    answer = upload(auth, "payroll", io.BytesIO(b"x"), "x.csv")
    assert answer.status_code == 422 and "Choose what the file holds." in page_text(answer)


def test_an_upload_without_the_form_token_is_refused(auth, login_as):
    login_as("admin")
    answer = auth.client.post("/admin/imports", data={"kind": "attendance",
                                                      "file": (io.BytesIO(b"a"), "a.csv")},
                              content_type="multipart/form-data")
    assert answer.status_code == 400 and ImportRun.select().count() == 0


def test_only_admins_import(auth, login_as):
    login_as("supervisor")
    assert auth.client.get("/admin/imports").status_code == 403
    answer = post_upload(auth, "attendance", io.BytesIO(b"a"), "a.csv")
    assert answer.status_code == 403 and ImportRun.select().count() == 0 and Job.select().count() == 0


def test_the_rule_set_in_force_is_shown_with_its_statute_and_version(auth, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "STATE", "TX")
    monkeypatch.setitem(app.config, "RULE_DEADLINES", "tx_warning_notice=3")
    login_as("supervisor")
    page = page_text(auth.client.get("/admin/rules"))
    assert "Texas rule set" in page and "TX-2015-09-01" in page and "Ed Code 25.0951(a)" in page
    assert "Warning notice to the parent due in 3 school days" in page
    assert "No calendar imported" in page


def test_hostile_files_are_refused_on_the_page_and_kept_in_the_history(auth, login_as):
    login_as("admin")
    bad = [("attendance", b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
                          b"1001,sch\x00,2025-09-02,Tardy\n", "nul\x00.csv", "NUL byte (row 2)"),
           ("oneroster", b"PK\x03\x04 not really a zip", "broken.zip", "is not a .zip file, whatever its name says")]
    for kind, data, name, reason in bad:
        page = page_text(auth.client.get(upload(auth, kind, io.BytesIO(data), name)))
        assert "Refused: nothing changed" in page and reason in page
    assert ImportRun.select().where(ImportRun.outcome == "refused").count() == 2
    assert "nul.csv" in page_text(auth.client.get("/admin/imports"))


def test_an_applied_import_is_undone_from_its_page(auth, login_as):
    login_as("admin")
    url = upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    page = page_text(auth.client.get(url))
    assert "Undo this import" in page
    assert Student.select().where(Student.active == True).count() == 3  # noqa: E712
    job = job_done(auth, auth.post(url + "/undo", {"confirmed": "yes"}))  # a job, done by a worker
    assert job.state == "done" and job.result["outcome"] == "undone", job.reason
    assert f'href="{url}"' in page_text(auth.client.get(f"/jobs/{job.id}"))
    page = page_text(auth.client.get(url))
    assert "Undone" in page and "Undo this import" not in page
    assert Student.select().where(Student.active == True).count() == 2  # noqa: E712  the world's two
    again = auth.post(url + "/undo", {"confirmed": "yes"})  # the page from before: leads to the same job
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/jobs/{job.id}")


def test_a_preview_can_be_cancelled_and_is_not_applied_twice(auth, login_as):
    login_as("admin")
    url = upload(auth, "oneroster", roster_zip(), "roster.zip")
    assert auth.post(url + "/cancel", {}).status_code == 303
    page = page_text(auth.client.get(url))
    assert "Preview only: not applied" in page
    assert auth.post(url + "/apply", {}).status_code == 409
    assert Student.select().where(Student.sourced_id.startswith("stu-10")).count() == 0


def test_the_rule_set_page_shows_the_corrected_citations_ages_and_new_versions(auth, login_as, app, monkeypatch):
    login_as("supervisor")
    monkeypatch.setitem(app.config, "STATE", "PA")
    page = page_text(auth.client.get("/admin/rules"))
    assert "24 P.S. § 13-1333(b)" in page and "24 P.S. § 13-1333.1(a)" in page and "13-1333.1(b)" in page
    assert "PA-2020-07-01" in page and "from the 6th birthday to the day before the 18th" in page
    monkeypatch.setitem(app.config, "STATE", "TX")
    page = page_text(auth.client.get("/admin/rules"))
    assert "TX-2021-06-07" in page and "Ed Code 25.0915(a-3)" in page and "ages 12 to 18" in page
    assert "Severe or life-threatening illness" in page
    monkeypatch.setitem(app.config, "STATE", "WA")
    assert "RCW 28A.225.018" in page_text(auth.client.get("/admin/rules"))


def test_a_roster_ending_most_guardian_links_asks_for_the_typed_phrase_on_its_page(auth, login_as):
    from fieldapp.models import StudentGuardian
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    buffer, folder = io.BytesIO(), os.path.join(DATA, "oneroster-bulk")
    with zipfile.ZipFile(buffer, "w") as z:
        for name in os.listdir(folder):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            if name == "users.csv":  # the same people, without agentSourcedIds
                header, *rows = text.splitlines()
                at = header.split(",").index("agentSourcedIds")
                import csv
                cells = [r for r in csv.reader([header] + rows)]
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(
                    [row if i == 0 else row[:at] + [""] + row[at + 1:] for i, row in enumerate(cells)])
                text = out.getvalue()
            z.writestr(name, text)
    buffer.seek(0)
    url = upload(auth, "oneroster", buffer, "no-agents.zip")
    page = page_text(auth.client.get(url))
    assert "would end more than the set share of the guardian links in force" in page
    assert "type <strong>end 4 guardian links</strong> to apply it" in page
    answer = auth.post(url + "/apply", {"confirmation": "end 4 links"})
    assert answer.status_code == 422 and "Type end 4 guardian links exactly" in page_text(answer)
    assert StudentGuardian.select().where(StudentGuardian.current()).count() == 4


def test_a_quote_left_open_is_refused_on_the_preview_naming_its_line(auth, login_as):
    """Row 2's reason opens a quote that never closes: row 3 would have become
    part of it, and the preview said one row read and nothing wrong."""
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    text = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,attendanceEventReason\n"
            '1001,sch-100,2025-09-02,Unexcused Absence,"Never closed\n'
            "1002,sch-200,2025-09-03,Unexcused Absence,Overslept\n")
    page = page_text(auth.client.get(upload(auth, "attendance", io.BytesIO(text.encode()),
                                            "monday.csv")))
    assert "Refused: nothing changed" in page
    assert ("monday.csv: a quote opened on line 2 (column E (&#39;attendanceEventReason&#39;)) "
            "never closes") in page
    assert not AttendanceEvent.select().exists()


def test_undoing_a_roster_keeps_the_student_an_officer_opened_a_case_on_and_says_so(auth, login_as, world):
    from fieldapp.cases import lifecycle
    from fieldapp.models import School
    login_as("admin")
    url = upload_and_apply(auth, "oneroster", roster_zip(), "roster.zip")
    maria = Student.get(Student.sourced_id == "stu-1001")
    officer = world["officer"]
    from fieldapp.models import UserSchool
    UserSchool.create(user=officer, school=School.get_by_id(maria.school_id))
    lifecycle.open_case(officer, maria, {"officer": str(officer.id)})
    page = " ".join(page_text(auth.client.get(url)).split())
    assert ("1 student this import created has casework since, and will be kept active (deactivating them "
            "would hide their cases from the officers' caseloads):") in page
    assert "<li>María García (stu-1001): an open case</li>" in page
    job = job_done(auth, auth.post(url + "/undo", {"confirmed": "yes"}))
    assert job.state == "done", job.reason
    page = " ".join(page_text(auth.client.get(url)).split())
    assert "1 student it created kept active: casework since: <ul class=\"which\"><li>María García (stu-1001): an open case</li>" in page
    assert Student.get_by_id(maria.id).active is True


HEADER_ONLY = {
    "attendance": b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n",
    "calendar": b"schoolId,date,calendarEvent,name\n",
    "contacts": b"sourcedId,address,phone,preferredLanguage\n",
}


def test_an_import_that_would_change_nothing_offers_no_apply(auth, login_as):
    login_as("admin")
    for kind, data in HEADER_ONLY.items():
        url = upload(auth, kind, io.BytesIO(data), f"empty-{kind}.csv")
        page = auth.client.get(url)
        text = page_text(page)
        assert "Applying it would change nothing" in text, (kind, text)
        assert "Apply this import" not in text and url + "/apply" not in text, kind
        assert "Discard this preview" in text, kind
        refused = auth.post(url + "/apply", {"confirmation": ""})
        assert refused.status_code == 409 and "would change nothing" in page_text(refused), kind
        assert ImportRun.get_by_id(int(url.rsplit("/", 1)[1])).outcome == "previewed"
        discarded = auth.post(url + "/cancel")
        assert discarded.status_code == 303
        assert ImportRun.get_by_id(int(url.rsplit("/", 1)[1])).outcome == "not_applied"



def test_the_command_line_does_not_ask_to_apply_what_would_change_nothing(app, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(HEADER_ONLY["attendance"])
    result = app.test_cli_runner().invoke(args=["import-attendance", str(path)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Apply this import?" not in result.output
    assert "Applying it would change nothing; nothing was changed." in result.output
    assert ImportRun.get().outcome == "not_applied"


def test_import_pages_say_one_in_the_singular_and_a_first_calendar_imported(auth, login_as):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "rsis-export.zip")
    one_mark = (b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
                b"1001,sch-100,2025-09-02,Unexcused Absence,\n")
    url = upload_and_apply(auth, "attendance", io.BytesIO(one_mark), "one.csv")
    page = page_text(auth.client.get(url))
    assert "1</strong> absence, tardy or part day stored" in page and "1</strong> student<" in page
    assert "absences, tardies and part days stored" not in page
    one_calendar = (b"schoolId,date,calendarEvent,name\n,2025-08-18,First day,\n,2026-06-11,Last day,\n"
                    b",2025-09-01,Holiday,Labor Day\n")
    first = upload_and_apply(auth, "calendar", io.BytesIO(one_calendar), "calendar.csv")
    page = page_text(auth.client.get(first))
    assert "1</strong> calendar imported" in page and "replaced" not in page
    assert "1</strong> day off or make-up day" in page
    undone = job_done(auth, auth.post(first + "/undo", {"confirmed": "yes"}))
    assert undone.state == "done", undone.reason
    page = page_text(auth.client.get(first))
    assert "1 calendar it imported removed" in page and "put back" not in page
    first = upload_and_apply(auth, "calendar", io.BytesIO(one_calendar), "calendar-first-again.csv")
    assert "1</strong> calendar imported" in page_text(auth.client.get(first))
    again = upload(auth, "calendar", io.BytesIO(one_calendar), "calendar-again.csv")
    page = page_text(auth.client.get(again))
    assert "1</strong> calendar replaced" in page and "calendars" not in page
    apply(auth, again)
    undone = job_done(auth, auth.post(again + "/undo", {"confirmed": "yes"}))
    assert undone.state == "done", undone.reason
    page = page_text(auth.client.get(again))
    assert "1 calendar put back" in page and "calendars put back" not in page


def test_every_count_an_import_makes_has_its_singular():
    """Reads the import code for the names it counts: a new one without its
    singular here would say "1 things done" on the pages."""
    import glob
    import re as pattern

    from fieldapp.imports import count_words
    here = os.path.join(os.path.dirname(count_words.__file__), "*.py")
    names = set()
    for path in glob.glob(here):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if "report.add(" in line or "_count(counts," in line or pattern.search(r"\bwhat = ", line):
                    names |= set(pattern.findall(r'(?<![f\w])"([a-z][^"{]*)"', line))
    names -= {"active", "status", "tobedeleted", "links",  # values read, not counts
              "ends more than the set share of the guardian links in force"}  # the command line's question
    assert "calendars replaced" in names and "students created" in names
    assert not names - set(count_words.SINGULAR), sorted(names - set(count_words.SINGULAR))


def test_an_imports_page_reads_in_spanish_for_a_spanish_reader(auth, login_as, world):
    """The import's own page was English only, beside the Spanish dates of its reader."""
    from fieldapp.models import User
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    run = gen_import_run(world["admin"])
    page = " ".join(page_text(auth.client.get(f"/admin/imports/{run.id}")).split())
    for english in ("All imports", "Kind", "Started", "Rows read", "Bad rows", "What changed", "Nothing was changed",
                    "Problems", ", row 2:", "Refused: nothing changed", "Attendance"):
        assert english not in page, english
    for spanish in ("Todas las importaciones", "Filas leídas", "Filas erróneas", "Problemas", "monday.csv, fila 2:",
                    "Rechazada: nada cambió", "Asistencia (.csv)"):
        assert spanish in page, spanish
    history = " ".join(page_text(auth.client.get("/admin/imports")).split())
    assert "Rechazada: nada cambió" in history and "1 errónea" in history and "Asistencia" in history


def test_counts_and_calendar_changes_read_in_the_singular_in_spanish_each_change_said_apart(auth, login_as, world):
    """A Spanish reader saw "1 student" in English and "cambia las 1 fecha"; the calendar's days off
    added, renamed and taken away were one count."""
    from fieldapp.models import User
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "rsis-export.zip")
    one_mark = (b"studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent\n"
                b"1001,sch-100,2025-09-02,Unexcused Absence,\n")
    page = page_text(auth.client.get(upload(auth, "attendance", io.BytesIO(one_mark), "one.csv")))
    assert "1</strong> estudiante<" in page and "1</strong> student<" not in page
    header = b"schoolId,date,calendarEvent,name\n"
    year = header + b",2025-08-18,First day,\n,2026-06-11,Last day,\n"
    upload_and_apply(auth, "calendar", io.BytesIO(year + b",2025-09-01,Holiday,Labor Day\n"
                                                         b",2025-11-27,Holiday,Thanksgiving\n"), "year.csv")
    page = " ".join(page_text(auth.client.get(upload(auth, "calendar", io.BytesIO(
        header + b",2026-01-19,Holiday,MLK Day\n"), "mlk.csv"))).split())
    assert "cambia la única fecha que enumera" in page and "las 1 fecha" not in page
    again = year + b",2025-09-01,Holiday,Labor Day (observed)\n,2026-01-19,Holiday,MLK Day\n"
    page = page_text(auth.client.get(upload(auth, "calendar", io.BytesIO(again), "again.csv")))
    for said in ("1</strong> día sin clases o día de recuperación añadido",
                 "1</strong> día sin clases o día de recuperación renombrado",
                 "1</strong> día sin clases o día de recuperación quitado"):
        assert said in page, said
    User.update(language="en").where(User.id == world["admin"].id).execute()
    page = page_text(auth.client.get(upload(auth, "calendar", io.BytesIO(year), "bare.csv")))
    assert "2</strong> days off and make-up days removed" in page and "added" not in page


def test_a_district_file_larger_than_other_forms_take_is_uploaded(app, auth, login_as):
    """An import takes files up to its own limit (FIELDAPP_IMPORT_MAX_UPLOAD_MB),
    not the 5 MB of any other form: a district's 6 MB attendance file was refused
    as too large before the import page could raise its limit. Over its limit,
    the page says what the limit is."""
    login_as("admin")
    row = "1001,sch-100,2025-09-02,Unexcused Absence\n"
    big = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n" + \
        row * (6 * 1024 * 1024 // len(row) + 1)
    answer = post_upload(auth, "attendance", io.BytesIO(big.encode()), "district.csv")
    assert answer.status_code in (302, 303), answer.status_code
    kept = app.config["IMPORT_MAX_UPLOAD_MB"]
    app.config["IMPORT_MAX_UPLOAD_MB"] = 2
    try:
        answer = post_upload(auth, "attendance", io.BytesIO(big.encode()), "district.csv")
    finally:
        app.config["IMPORT_MAX_UPLOAD_MB"] = kept
    assert answer.status_code == 413
    assert "too large: this page takes up to 2 MB" in page_text(answer)
    exactly = big.encode()[:2 * 1024 * 1024]  # a file of the limit itself is taken
    app.config["IMPORT_MAX_UPLOAD_MB"] = 2
    try:
        answer = post_upload(auth, "attendance", io.BytesIO(exactly), "district.csv")
    finally:
        app.config["IMPORT_MAX_UPLOAD_MB"] = kept
    assert answer.status_code in (302, 303), answer.status_code
