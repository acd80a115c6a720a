"""What an import says names what to fix exactly: a date written right but
naming a day that does not exist says so (not "use YYYY-MM-DD"), a row with
several bad cells names each, a school code repeated in orgs.csv names the
row that gave it first, a list whose items hold commas (dates) is said with
semicolons, and the values a contacts file clears are named in the reader's
language."""
import datetime
import io
import os
import shutil

import pytest
from flask_babel import force_locale

from fieldapp.imports.contacts import import_contacts
from fieldapp.imports.dates import why_not_a_date
from fieldapp.imports.oneroster import import_oneroster
from fieldapp.messages import Message
from fieldapp.web.i18n import translate

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


@pytest.mark.parametrize("raw, order, said", [
    ("2010-02-30", "", "birthDate '2010-02-30' is not a day of the calendar: month 2 of 2010 has 28 days"),
    ("2010-02-30T00:00:00", "", "birthDate '2010-02-30T00:00:00' is not a day of the calendar: month 2 of 2010 "
                                "has 28 days"),
    ("2011-04-31", "", "birthDate '2011-04-31' is not a day of the calendar: month 4 of 2011 has 30 days"),
    ("2010-13-01", "", "birthDate '2010-13-01' is not a day of the calendar: 13 is not a month (1 to 12)"),
    ("02/30/2026", "month-first", "birthDate '02/30/2026' is not a day of the calendar: month 2 of 2026 has 28 days"),
    ("30/02/2026", "day-first", "birthDate '30/02/2026' is not a day of the calendar: month 2 of 2026 has 28 days"),
])
def test_a_date_written_right_naming_no_day_says_the_day_does_not_exist(raw, order, said):
    assert str(why_not_a_date(raw, "birthDate", order)) == said


def _bulk(tmp_path, name, *rows):
    folder = tmp_path / "export"
    shutil.copytree(BULK, folder)
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    (folder / name).write_text("\n".join(lines + list(rows)) + "\n", encoding="utf-8")
    return str(folder)


def test_a_birth_date_that_does_not_exist_is_said_so_in_the_roster(app, tmp_path):
    folder = _bulk(tmp_path, "demographics.csv")
    text = (tmp_path / "export" / "demographics.csv").read_text().replace("2015-03-02", "2015-02-30")
    (tmp_path / "export" / "demographics.csv").write_text(text)
    report = import_oneroster(folder, "export")
    assert ["demographics.csv", 2, "birthDate '2015-02-30' is not a day of the calendar: month 2 of 2015 has 28 "
            "days"] in [p[:2] + [str(p[2])] for p in report.problems]


def test_a_school_code_repeated_in_orgs_names_the_row_that_gave_it(app, tmp_path):
    folder = _bulk(tmp_path, "orgs.csv", "sch-900,,,Riverside Annex,school,061234500001,dist-1")
    report = import_oneroster(folder, "export")
    row = len((tmp_path / "export" / "orgs.csv").read_text().splitlines())
    assert [row, "identifier '061234500001' is given on row 3 already, to Lincoln Elementary (sourcedId sch-100): "
            "two schools with one code would leave every attendance and calendar row naming it unmatched"] in \
        [[p[1], str(p[2])] for p in report.problems]


@pytest.fixture
def roster(app):
    assert import_oneroster(BULK, "roster").applied


def test_a_contacts_row_with_two_bad_cells_names_both(roster):
    report = import_contacts(io.BytesIO(b"sourcedId,phone,email\nstu-1001,12,ana-at-example\n"), "contacts.csv")
    assert [str(p[2]) for p in report.problems] == [
        "phone '12' is not a phone number: give 7 to 15 digits, like (555) 201-3344 or +1 555 201 3344 x12; "
        "email 'ana-at-example' is not an email address: give one like ana@example.org"]


def test_the_values_a_contacts_file_clears_are_named_in_the_readers_language(app, roster):
    report = import_contacts(io.BytesIO(b"sourcedId,address,phone\nstu-1001,12 Elm St,(555) 201-0001\n"),
                             "contacts.csv")
    assert report.applied
    report = import_contacts(io.BytesIO(b"sourcedId,address,phone\nstu-1001,[clear],[clear]\n"), "contacts.csv")
    example = report.examples["values cleared"][0]
    assert example == "María García: address, phone"
    with app.test_request_context(), force_locale("es"):
        assert translate(example) == "María García: dirección, teléfono"


def test_a_list_of_items_holding_commas_is_said_with_semicolons(app):
    days = (datetime.date(2026, 11, 16), datetime.date(2026, 12, 1))
    said = Message("%(days)s", days=days)
    assert str(said) == "Nov 16, 2026; Dec 1, 2026"
    assert str(Message("%(names)s", names=("a", "b"))) == "a, b"
    with app.test_request_context(), force_locale("en"):
        assert translate(said) == "Nov 16, 2026; Dec 1, 2026"
