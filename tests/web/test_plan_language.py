"""A plan is signed seen, in the signer's language, and the family takes home
a copy in theirs; the record keeps which language and version each signer saw."""
from fieldapp.documents import plans
from fieldapp.models import AccessLog, DocumentRecord, Signature
from tests import documents_support as support
from tests import factories
from tests.web.conftest import page_text


def _spanish_family_plan(world):
    factories.gen_guardian([world["student_a"]], first="Rosa", last="Díaz", preferred_language="es")
    return plans.save_plan(world["officer"], world["case_a"], {
        "barriers": "El autobús pasa a las 6:40.", "goals": "Faltar menos de un día al mes.",
        "review_on": support.local_today().isoformat()})


def test_the_guardian_signs_with_the_plan_in_front_of_them_in_their_language(client, auth, world, login_as):
    plan = _spanish_family_plan(world)
    login_as("officer")  # whose screens are in English
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert 'lang="es" class="card"' in page
    for words in ("Plan de mejora de asistencia", "Obstáculos encontrados", "El autobús pasa a las 6:40.",
                  "Metas", "Faltar menos de un día al mes.", "versión 1"):
        assert words in page
    assert 'name="language" value="es"' in page
    english = page_text(client.get(f"/plans/{plan.id}/sign/guardian?language=en"))
    assert "Barriers found" in english and "version 1, as shown above" in english
    signed = auth.post(f"/plans/{plan.id}/sign/guardian", data={
        "status": "signed", "signer_name": "Rosa Díaz", "image": support.signature_data_url(), "language": "es"})
    assert signed.status_code == 302
    signature = Signature.get()
    assert (signature.language, signature.plan_version, signature.role) == ("es", 1, "guardian")
    assert "version 1, shown in Spanish" in page_text(client.get(f"/plans/{plan.id}"))
    bad = auth.post(f"/plans/{plan.id}/sign/student", data={"status": "refused", "note": "No.", "language": "xx"})
    assert bad.status_code == 422 and Signature.select().count() == 1


def test_the_family_takes_home_a_copy_in_their_language(client, auth, world, login_as):
    plan = _spanish_family_plan(world)
    plans.record_signature(world["officer"], plan, {"role": "guardian", "status": "signed", "signer_name": "Rosa Díaz",
                                                    "image": support.signature_data_url()})
    login_as("officer")
    page = page_text(client.get(f"/plans/{plan.id}"))
    assert "The family&#39;s copy (Español)" in page or "The family's copy (Español)" in page
    made = auth.post(f"/plans/{plan.id}/pdf", data={"copy": "family"})
    assert made.status_code == 302
    record = DocumentRecord.get()
    text = support.text_of(record)
    assert record.language == "es"
    for words in ("Plan de mejora de asistencia", "Obstáculos encontrados", "Firmas", "Padre, madre o tutor: Firmado",
                  "mostrado en Español", "Página 1 de 1", "Huella digital (SHA-256)"):
        assert words in text
    assert "Barriers found" not in text and "Page 1 of" not in text
    line = AccessLog.get(AccessLog.document == record)
    assert line.recipient == "Family of María García (their copy, Español)"
    auth.post(f"/plans/{plan.id}/pdf", data={})
    english = DocumentRecord.select().order_by(DocumentRecord.id.desc()).get()
    assert english.language == "en" and "Barriers found" in support.text_of(english)
