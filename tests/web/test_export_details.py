"""What a reader of an export sees in its cells: times in the school's zone to
the second with the zone named, templates by their titles, and no column a
list's rows can never fill."""
import csv
import datetime
import io
import re

from fieldapp.models import Letter, utcnow
from fieldapp.timefmt import school_zone
from tests.documents_support import gen_issued_letter
from tests.web.conftest import page_text

TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def _csv(answer):
    assert answer.status_code == 200, page_text(answer)[:300]
    return list(csv.DictReader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))


def test_times_carry_no_microseconds_and_name_the_schools_zone(auth, login_as, world):
    letter = gen_issued_letter(world["case_a"], world["officer"])
    Letter.update(sent_how="mail", sent_at=utcnow() - datetime.timedelta(hours=3)).where(
        Letter.id == letter.id).execute()
    login_as("supervisor")
    zone = school_zone(world["school_a"].id)
    (sent,) = _csv(auth.post(f"/supervisor/export/letters?school={world['school_a'].id}", data={"format": "csv"}))
    assert TIME.match(sent["Sent"]) and sent["Time zone"] == zone, sent
    # the template by the title it prints, not its code
    assert sent["Template"] and "-" not in sent["Template"] and sent["Template"][0].isupper(), sent["Template"]
    cases = _csv(auth.post(f"/supervisor/export/cases?school={world['school_a'].id}", data={"format": "csv"}))
    assert cases and all(TIME.match(row["Opened"]) and row["Time zone"] == zone for row in cases), cases[0]
    assert "Closed" in cases[0] and "Closure reason" in cases[0]  # the district list may hold closed cases


def test_lists_of_open_cases_have_no_closing_columns(auth, login_as, world):
    login_as("supervisor")
    queue = auth.post("/supervisor/export/unassigned", data={"format": "csv"}).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(queue.lstrip("\ufeff"))))
    assert "Closed" not in header and "Closure reason" not in header and "Opened" in header
    login_as("front_office")
    office = auth.post("/office/export", data={"format": "csv"}).get_data(as_text=True)
    header = next(csv.reader(io.StringIO(office.lstrip("\ufeff"))))
    assert "Closed" not in header and "Closure reason" not in header and "Opened" in header
