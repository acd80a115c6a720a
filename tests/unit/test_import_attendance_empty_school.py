"""An attendance row whose schoolId cell is empty says the cell is empty and
what to give in it, in English and in Spanish."""
import datetime
import io
import os

from flask_babel import force_locale

from fieldapp import imports
from fieldapp.imports.attendance import import_attendance
from fieldapp.web.i18n import translate
from fieldapp.rules.settings import RuleSettings

BULK = os.path.join(os.path.dirname(__file__), "..", "data", "oneroster-bulk")


def test_an_empty_school_id_says_it_is_empty_and_what_to_give(app):
    imports.run("oneroster", BULK, "first", RuleSettings(), today=datetime.date(2025, 8, 18))
    rows = ("studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor\n"
            "1001,sch-100,2025-09-02,Unexcused Absence\n"
            "1001,,2025-09-03,Unexcused Absence\n")
    report = import_attendance(io.BytesIO(rows.encode()), "a.csv", True, datetime.date(2026, 2, 2))
    said = [str(p[2]) for p in report.problems if p[1] == 3]
    assert said == ["schoolId is empty: give the school's sourcedId or its code (the identifier in orgs.csv, "
                    "Ed-Fi's schoolId)"]
    with app.test_request_context(), force_locale("es"):
        spanish = [translate(p[2]) for p in report.problems if p[1] == 3][0]
    assert spanish.startswith("schoolId está vacío")
