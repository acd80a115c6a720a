"""Row numbers read alike everywhere on an import's page: in where each row problem is, and inside the
notes and problems, as a spreadsheet numbers its rows (40005, never 40,005 or 40.005), in English and in
Spanish."""
import json

from fieldapp.models import ImportRun, User
from fieldapp.rules.stored import encode
from fieldapp.messages import Message
from tests.web.conftest import page_text


def test_row_numbers_read_as_a_spreadsheet_numbers_rows(auth, login_as):
    admin = login_as("admin")
    problems = [["users.csv", 40005, Message("sourcedId '%(sid)s' is also on row %(line)s, with other values: "
                                             "keep one of the two rows", sid="stu-9", line=str(40003))]]
    run = ImportRun.create(kind="oneroster", filename="big.zip", user=admin, source="upload", outcome="refused",
                           rows_read=40010, rows_rejected=1, problems_json=json.dumps(encode(problems)),
                           problem_count=1)
    page = page_text(auth.client.get(f"/admin/imports/{run.id}"))
    assert "users.csv, row 40005:" in page and "on row 40003" in page
    assert "40,005" not in page
    User.update(language="es").where(User.id == admin.id).execute()
    page = page_text(auth.client.get(f"/admin/imports/{run.id}"))
    assert "40.005" not in page and "40005" in page and "40003" in page
