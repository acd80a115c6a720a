"""A district's users.csv is checked in two parts at once, its second half by
a process of its own: what the preview says (rows read, each problem with
its line, what it would create) is what reading it row by row said, from a
folder or a zip uploaded; a file only a reading from the top can judge (a
sourcedId in both halves, a NUL byte in the second) is read so, with the
same message."""
import datetime
import functools
import io
import os
import resource
import shutil
import time
import zipfile

from fieldapp import imports
import pytest

from fieldapp.imports import oneroster_parts, oneroster_pieces, roster_users
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")
HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,"
          "familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password")
TODAY = datetime.date(2026, 3, 2)
MIDDLE = "Maximiliano Bartholomew de la Santísima Trinidad"  # rows long enough for a few MB in few rows


@pytest.fixture(autouse=True)
def parts_of_a_smaller_file(monkeypatch):
    """The same two parts at a tenth of the size (the district's 4 MB took most of the unit tests' time):
    a file of 400 kB or more is checked in two parts, its second part's rows sent back 2,000 at a time."""
    monkeypatch.setattr(oneroster_parts, "PARALLEL_BYTES", 400_000)
    monkeypatch.setattr(oneroster_pieces, "PIECE", 2_000)


def district_rows():
    """users.csv's rows (no header) of a district large enough to be checked in two parts."""
    rows, n = [], 0
    while sum(map(len, rows)) < oneroster_parts.PARALLEL_BYTES * 1.3:
        n += 1
        school = "sch-100" if n % 2 else "sch-200"
        rows.append(f"stu-{n:06d},,,true,{school},student,,,Ana{n},Ruiz{n % 97},{MIDDLE},{500000 + n},,,,"
                    f"gdn-{n:06d},03,")
        rows.append(f"gdn-{n:06d},,,true,{school},parent,,,Rosa,Ruiz{n % 97},,,rosa{n}@example.org,,"
                    f"(555) 201-{n % 10000:04d},stu-{n:06d},,")
    return rows


def export(tmp_path, rows, zipped=False):
    folder = tmp_path / "export"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(BULK, folder)
    (folder / "users.csv").write_bytes((HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode())
    (folder / "demographics.csv").write_text("sourcedId,birthDate\nstu-000001,2015-04-01\n", encoding="utf-8")
    (folder / "enrollments.csv").write_text("sourcedId,schoolSourcedId,userSourcedId,role\n", encoding="utf-8")
    if not zipped:
        return str(folder)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
        for name in os.listdir(folder):
            out.write(folder / name, f"district/{name}")
    data.seek(0)
    return data


def preview(source):
    """The preview of source, and whether a process of its own was used meanwhile (and ended)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pending = imports.preview("oneroster", source, "district.zip", RuleSettings(), today=TODAY, skip_bad_rows=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    helped = (after.ru_utime + after.ru_stime) > (before.ru_utime + before.ru_stime)
    return pending.report, helped


def test_a_large_users_file_checked_in_two_parts_says_what_row_by_row_said(app, tmp_path):
    rows = district_rows()
    last = len(rows) - 1
    early, late = 6, last - 41  # a student's row near each end (rows[i] is on line i + 2)
    rows[early] = rows[early].replace(",student,", ",wizard,")
    rows[late] = rows[late].replace(",true,", ",true,,")  # a cell too many
    rows[late + 2] = rows[late - 2].replace(",Ana", ",Ana Again ")  # its sourcedId again, in the second half
    rows[late + 4] = rows[late + 4].replace(",student,", ",teacher,")
    for zipped in (False, True):
        report, helped = preview(export(tmp_path, rows, zipped))
        assert helped, "the second half was checked by another process"
        assert report.rows_read == len(rows) + 4  # with orgs.csv's and demographics.csv's
        students = sum(1 for row in rows if ",student," in row)
        guardians = sum(1 for row in rows if ",parent," in row)
        wrong = [["users.csv", early + 2, "role 'wizard' is not a OneRoster role"],
                 ["users.csv", late + 2, "has 19 cells where the header has 18: check its commas and quotes"],
                 ["users.csv", late + 4,
                  f"sourcedId '{rows[late - 2].split(',')[0]}' is also on row {late}, with other values: "
                  "keep one of the two rows (differs in givenName: "]]
        said = [p for p in report.problems if p[0] == "users.csv"][:3]
        assert [p[:2] + [p[2][:len(w[2])]] for p, w in zip(said, wrong)] == wrong
        assert report.checked_counts["staff users skipped"] == 1
        # the guardians of the students left out (or whose row the duplicate took) name no student kept
        dangling = {p[1] for p in report.problems[3:] if p[0] == "users.csv"}
        assert dangling == {early + 3, late + 3, late + 5, late + 7} and report.problem_count == 7
        assert report.counts["students created"] == students - 2  # too many cells, the duplicate
        assert report.counts["guardians created"] == guardians - 4


def test_a_file_only_a_reading_from_the_top_can_judge_is_read_so(app, tmp_path):
    rows = district_rows()
    last = len(rows) - 1
    rows[last - 10] = rows[2].replace(",Ana", ",Anita")  # a sourcedId on line 4 comes again near the end
    rows[last - 12] = rows[4]  # and a row on line 6 exactly
    report, _ = preview(export(tmp_path, rows))
    assert ["users.csv", last - 8, "sourcedId 'stu-000002' is also on row 4, with other values: "
            "keep one of the two rows (differs in givenName: 'Ana2' vs 'Anita2')"] in report.problems
    assert (f"users.csv: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read "
            f"once: row {last - 10} repeats row 6.") in report.notes

    rows = district_rows()
    rows[last - 10] = rows[last - 10] + "\x00"
    report, _ = preview(export(tmp_path, rows, zipped=True))
    assert report.outcome == "refused"
    assert report.message.startswith(f"users.csv holds a NUL byte (row {last - 8})")


class _Plan:
    students, guardians = None, None


def _checked_in_parts(folder, work, patience=None):
    """users.csv of folder checked by _Stream.in_parts with work (the check
    each part runs; plain=True in the second part's process): (lines or None,
    plan, report, seconds taken)."""
    from fieldapp.imports.report import Report
    from fieldapp.imports.oneroster import _Stream
    from fieldapp.imports.oneroster_files import Source
    report, plan = Report("oneroster", ""), _Plan()
    stream = _Stream(Source(folder, "district"), "users", report, imports.Limits())
    began = time.monotonic()
    lines = stream.in_parts(roster_users.USER_COLUMNS, work, plan, report, patience=patience)
    return lines, plan, report, time.monotonic() - began


def _stuck_second_part(rows, students, guardians, report, lines, plain=False):
    if plain:  # the second part's process: never answers (as one stuck on a lock held at the fork)
        time.sleep(3600)
    roster_users.check_user_rows(rows, students, guardians, report, lines, plain=plain)


def _second_part_stopping_midway(rows, students, guardians, report, lines, plain=False):
    roster_users.check_user_rows(rows, students, guardians, report, lines, plain=plain)
    if plain:  # a piece it cannot send after the first PIECE students: it stops with part of its rows sent
        for n in range(oneroster_pieces.PIECE + 10):
            students[f"more-{n}"] = ("x",)
        students["more-last"] = (object(),)


def test_a_second_part_that_never_answers_is_not_waited_for(app, tmp_path):
    folder = export(tmp_path, district_rows())
    lines, plan, report, took = _checked_in_parts(folder, _stuck_second_part, patience=(2.0, 1.0))
    assert lines is None and plan.students is None and report.rows_read == 0  # read again from the top
    assert took < 30


def test_a_second_part_that_stops_while_sending_gives_none_of_its_rows(app, tmp_path):
    folder = export(tmp_path, district_rows())
    lines, plan, report, _ = _checked_in_parts(folder, _second_part_stopping_midway)
    assert lines is None and plan.students is None and report.rows_read == 0  # nothing half-joined
    # and the whole import still says what a reading from the top says
    whole, _ = preview(folder)
    assert whole.counts["students created"] == sum(1 for row in district_rows() if ",student," in row)


def test_a_second_half_with_problems_and_notes_is_not_read_again_from_the_top(app, tmp_path):
    rows = district_rows()
    last = len(rows) - 1
    rows[last - 7] = rows[last - 7].replace(",student,", ",wizard,")  # a row problem in the second half
    rows[last - 2] = rows[last - 4]  # an exact repeat, said in a note
    rows[last] = rows[last].replace("(555)", "call the office")  # a detail left out, said in a note
    folder = export(tmp_path, rows)
    work = functools.partial(roster_users.check_user_rows, known_schools={"sch-100", "sch-200"})
    lines, plan, report, _ = _checked_in_parts(folder, work)
    assert lines is not None, "the second half's answer was used"
    assert ["users.csv", last - 5, "role 'wizard' is not a OneRoster role"] in report.problems
    assert any(note.startswith(f"users.csv row {last + 2}: phone 'call the office") for note in report.notes)
    assert report.repeated == [("users.csv", last, last - 2)]
    # what a reading from the top says, said in the reader's language too
    whole, _ = preview(folder)
    assert ["users.csv", last - 5, "role 'wizard' is not a OneRoster role"] in whole.problems
    assert [p[2].msgid for p in whole.problems if p[1] == last - 5] == ["role '%(role)s' is not a OneRoster role"]
    assert (f"users.csv: 1 row repeats an earlier row cell for cell (spaces around cells aside), and is read "
            f"once: row {last} repeats row {last - 2}.") in whole.notes


def test_a_row_deleting_by_sourced_id_alone_in_a_large_file_is_read_as_row_by_row_reads_it(app, tmp_path):
    """A tobedeleted row giving only its sourcedId needs the stored records to
    say whose it is: in either part of a large file it has the file read again
    from the top, which deletes it (or says it is on file nowhere), and it is
    no problem of its role."""
    rows = district_rows()
    rows[len(rows) - 3] = "nobody-at-all,tobedeleted" + "," * 16
    report, _ = preview(export(tmp_path, rows))
    assert not [p for p in report.problems if "role" in str(p[2])]
    assert ("users.csv: 1 tobedeleted row gives only its sourcedId, and no student or guardian of that sourcedId "
            "is on file: nothing to delete: nobody-at-all") in [str(note) for note in report.notes]
