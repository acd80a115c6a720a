"""An attendance file imported again as it is changes nothing: its preview
says so plainly and offers no Apply, only to discard it, as a clerk expects;
a file changing one mark of the same days is offered as ever."""
import io

import pytest

from fieldapp.models import AttendanceEvent
from tests.web.conftest import page_text
from tests.web.test_import_pages import roster_zip, upload, upload_and_apply

H = "studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,eventDuration\n"
FILES = {
    "one absence": H + "1001,sch-100,2025-11-05,Unexcused Absence,\n",
    "a weekend mark beside it": H + "1001,sch-100,2025-11-05,Unexcused Absence,\n"
                                    "1001,sch-100,2025-11-08,Unexcused Absence,\n",
    "a split day": H + "1001,sch-100,2025-11-05,In Attendance,0.5\n1001,sch-100,2025-11-05,Excused Absence,0.5\n",
    "a bad row skipped": H + "1001,sch-100,2025-11-05,Unexcused Absence,\n9999,sch-100,2025-11-05,Unexcused Absence,\n",
}


@pytest.mark.parametrize("text", FILES.values(), ids=FILES.keys())
def test_the_same_attendance_file_again_offers_no_apply_and_says_why(auth, login_as, text):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "r.zip")
    upload_and_apply(auth, "attendance", io.BytesIO(text.encode()), "first.csv", skip_bad_rows="1")
    stored = AttendanceEvent.select().count()
    page = page_text(auth.client.get(upload(auth, "attendance", io.BytesIO(text.encode()), "again.csv",
                                            skip_bad_rows="1")))
    assert "Apply this import" not in page
    assert "applying it would change nothing" in page and "Discard this preview" in page
    assert AttendanceEvent.select().count() == stored


def test_a_file_changing_a_mark_of_those_days_is_offered(auth, login_as):
    login_as("admin")
    upload_and_apply(auth, "oneroster", roster_zip(), "r.zip")
    upload_and_apply(auth, "attendance", io.BytesIO(FILES["one absence"].encode()), "first.csv")
    changed = FILES["one absence"].replace("Unexcused", "Excused")
    page = page_text(auth.client.get(upload(auth, "attendance", io.BytesIO(changed.encode()), "changed.csv")))
    assert "Apply this import" in page and "would change nothing" not in page
