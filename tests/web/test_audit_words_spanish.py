"""The audit trail's lines of a letter sent and of a plan written or edited
say what happened in the reader's language: they were stored as English
sentences ("certified_mail 2026-...", "version 2: goals; translation es by
..."), now as a code and its values, said when shown."""
from fieldapp.documents import letters, plans
from fieldapp.models import AuditEvent, User
from tests import documents_support as support
from tests.web.conftest import page_text


def test_letter_and_plan_lines_read_in_the_readers_language(auth, login_as, world):
    case, officer = world["case_a"], world["officer"]
    letter = support.gen_issued_letter(case, officer)
    letters.record_sent(officer, letter, {"sent_how": "certified_mail", "sent_at": support.letter_sent_time(letter)})
    plan = support.gen_plan(case, officer)
    plans.save_plan(officer, case, {"barriers": "Transportation.", "goals": "Attend every day.",
                                    "review_on": plan.review_on.isoformat(), "translation_language": "es",
                                    "translated_by": "Ana Ruiz", "translator": "staff",
                                    "barriers_translated": "Transporte.", "goals_translated": "Asistir cada día."},
                    plan=plan)
    assert not AuditEvent.select().where(AuditEvent.action.in_(["letter.sent", "plan.edit"])
                                         & (AuditEvent.detail != "")).exists()  # no English sentence kept
    User.update(language="es").where(User.id == world["admin"].id).execute()
    login_as("admin")
    page = " ".join(page_text(auth.client.get("/admin/audit")).split())
    assert "Certified mail" not in page and "Correo certificado, " in page
    assert "versión 2: " in page and "traducción es de Ana Ruiz (Personal bilingüe), al día" in page
    assert "Bilingual staff member" not in page and "version 2" not in page
    User.update(language="en").where(User.id == world["admin"].id).execute()
    page = " ".join(page_text(auth.client.get("/admin/audit")).split())
    assert "Certified mail, " in page and "translation es by Ana Ruiz (Bilingual staff member), current" in page
