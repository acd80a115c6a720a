"""A plan is signed seen, in the signer's language, and the family takes home
a copy in theirs; the record keeps which language, version and text each
signer saw. The plan's text in the family's language is written by a person
(bilingual staff or an interpreter): nothing machine-translates it."""
import hashlib

from fieldapp.documents import plans
from fieldapp.models import AccessLog, AuditEvent, DocumentRecord, Plan, Signature
from fieldapp.timefmt import today_for_school
from tests import documents_support as support
from tests import factories
from tests.web.conftest import page_text

ENGLISH = {"barriers": "The bus comes at 6:40.", "goals": "Miss less than one day a month."}
SPANISH = {"barriers_translated": "El autobús pasa a las 6:40.", "goals_translated": "Faltar menos de un día al mes.",
           "translation_language": "es", "translated_by": "Lucía Romero", "translator": "interpreter"}


def _plan(world, language="es", translation=None):
    factories.gen_guardian([world["student_a"]], first="Rosa", last="Díaz", preferred_language=language)
    return plans.save_plan(world["officer"], world["case_a"], {
        **ENGLISH, **(SPANISH if translation is None else translation),
        "review_on": today_for_school(world["student_a"].school_id).isoformat()})


def _sign(auth, plan, role="guardian", **fields):
    return auth.post(f"/plans/{plan.id}/sign/{role}", data={
        "status": "signed", "signer_name": "Rosa Díaz", "image": support.signature_data_url(),
        "version": str(plan.version), **fields})


def test_the_guardian_signs_with_the_plan_in_front_of_them_in_their_language(client, auth, world, login_as):
    plan = _plan(world)
    login_as("officer")  # whose screens are in English
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert 'lang="es" class="card"' in page
    for words in ("Plan de mejora de asistencia", "Obstáculos encontrados", "El autobús pasa a las 6:40.",
                  "Metas", "Faltar menos de un día al mes.", "versión 1", "Lucía Romero"):
        assert words in page
    assert "The bus comes at 6:40." not in page and "is not written in it" not in page
    assert 'name="language" value="es"' in page and 'name="version" value="1"' in page
    english = page_text(client.get(f"/plans/{plan.id}/sign/guardian?language=en"))
    assert "Barriers found" in english and "version 1, as shown above" in english
    assert "The bus comes at 6:40." in english and "El autobús" not in english
    assert _sign(auth, plan, language="es").status_code == 302
    signature = Signature.get()
    assert (signature.language, signature.plan_version, signature.role) == ("es", 1, "guardian")
    assert "El autobús pasa a las 6:40." in signature.text_shown and "The bus" not in signature.text_shown
    assert signature.text_sha256 == hashlib.sha256(signature.text_shown.encode()).hexdigest()
    assert "version 1, shown in Spanish" in page_text(client.get(f"/plans/{plan.id}"))
    bad = auth.post(f"/plans/{plan.id}/sign/student", data={"status": "refused", "note": "No.", "language": "xx"})
    assert bad.status_code == 422 and Signature.select().count() == 1


def test_the_family_takes_home_a_copy_in_their_language(client, auth, world, login_as):
    plan = _plan(world)
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
    for words in ("Plan de mejora de asistencia", "Obstáculos encontrados", "El autobús pasa a las 6:40.",
                  "Faltar menos de un día al mes.", "Lucía Romero", "Firmas", "Padre, madre o tutor: Firmado",
                  "mostrado en Español", "Página 1 de 1", "Huella digital (SHA-256)"):
        assert words in text
    assert "Barriers found" not in text and "Page 1 of" not in text and "The bus comes" not in text
    line = AccessLog.get(AccessLog.document == record)
    assert line.recipient == "Family of María García (their copy, Español)"
    auth.post(f"/plans/{plan.id}/pdf", data={})
    english = DocumentRecord.select().order_by(DocumentRecord.id.desc()).get()
    english_text = support.text_of(english)
    assert english.language == "en" and "Barriers found" in english_text and "The bus comes at 6:40." in english_text
    assert "Translation" in english_text and "Text written in Spanish by Lucía Romero" in " ".join(english_text.split())


def test_a_plan_not_written_in_the_familys_language_says_so_and_asks_for_an_interpreter(client, auth, world, login_as):
    plan = _plan(world, translation={})
    login_as("officer")
    for url in (f"/plans/{plan.id}", f"/plans/{plan.id}/sign/guardian"):
        page = page_text(client.get(url))
        assert "The family reads Spanish and this plan is not written in it" in page
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    # The Spanish screen does not pass English off as Spanish.
    assert "no se ha escrito en español" in page and "The bus comes at 6:40." in page
    refused = _sign(auth, plan, language="es")
    assert refused.status_code == 422 and Signature.select().count() == 0
    assert 'id="interpreter-error"' in page_text(refused) and "Rosa Díaz" in page_text(refused)
    # A refusal needs no interpreter; a signature read aloud by one is kept with their name.
    assert auth.post(f"/plans/{plan.id}/sign/guardian", data={
        "status": "refused", "note": "Wants to read it with her son.", "version": "1"}).status_code == 302
    assert _sign(auth, plan, language="es", interpreter="Lucía Romero").status_code == 302
    signature = Signature.select().order_by(Signature.id.desc()).get()
    assert signature.interpreter == "Lucía Romero" and "no se ha escrito en español" in signature.text_shown
    assert "read aloud by Lucía Romero" in page_text(client.get(f"/plans/{plan.id}"))
    # Nothing stops the officer or the student signing the English.
    assert _sign(auth, plan, role="officer", signer_name="Olivia Officer", language="en").status_code == 302


def test_an_english_family_is_not_asked_for_a_translation(client, auth, world, login_as):
    plan = _plan(world, language="en", translation={})
    login_as("officer")
    assert "is not written in it" not in page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert _sign(auth, plan).status_code == 302


def test_a_translation_of_an_older_version_is_out_of_date_until_checked(client, auth, world, login_as):
    plan = _plan(world)
    login_as("officer")
    form = {**ENGLISH, **SPANISH, "review_on": plan.review_on.isoformat(), "goals": "No more than one day a month."}
    assert auth.post(f"/plans/{plan.id}/edit", data=form).status_code == 302
    plan = Plan.get_by_id(plan.id)
    assert (plan.version, plan.translated_version) == (2, 1) and not plans.translation_current(plan)
    assert "out of date" in page_text(client.get(f"/plans/{plan.id}"))
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert "is not written in it" in page and "No more than one day a month." in page
    assert "Faltar menos" not in page
    assert _sign(auth, plan, language="es").status_code == 422
    edit = page_text(client.get(f"/plans/{plan.id}/edit"))
    assert "The translation was written for version 1" in edit
    assert auth.post(f"/plans/{plan.id}/edit", data={
        **form, "goals_translated": "No faltar más de un día al mes."}).status_code == 302
    plan = Plan.get_by_id(plan.id)
    assert (plan.version, plan.translated_version) == (3, 3)
    assert "No faltar más de un día al mes." in page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    # English changed again; the interpreter confirms the translation still holds.
    auth.post(f"/plans/{plan.id}/edit", data={**form, "goals_translated": "No faltar más de un día al mes.",
                                              "barriers": "The bus comes at 6:40 a.m."})
    assert Plan.get_by_id(plan.id).translated_version == 3
    auth.post(f"/plans/{plan.id}/edit", data={**form, "goals_translated": "No faltar más de un día al mes.",
                                              "barriers": "The bus comes at 6:40 a.m.", "translation_checked": "1"})
    plan = Plan.get_by_id(plan.id)
    assert (plan.version, plan.translated_version) == (4, 4)
    assert AuditEvent.select().where(AuditEvent.detail_code == "plan_translation_checked").count() == 1


def test_a_signature_on_a_version_the_signer_did_not_see_is_refused(client, auth, world, login_as):
    plan = _plan(world)
    login_as("officer")
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert 'name="version" value="1"' in page
    plans.save_plan(world["officer"], world["case_a"], {**ENGLISH, **SPANISH, "goals_translated": "Otra meta.",
                                                        "review_on": plan.review_on.isoformat()}, plan)
    stale = auth.post(f"/plans/{plan.id}/sign/guardian", data={
        "status": "signed", "signer_name": "Rosa Díaz", "image": support.signature_data_url(), "version": "1"})
    assert stale.status_code == 422 and Signature.select().count() == 0
    assert "changed to version 2" in page_text(stale)


def test_the_translation_form_says_what_to_fix_and_keeps_what_was_typed(client, auth, world, login_as):
    factories.gen_guardian([world["student_a"]], last="Díaz", preferred_language="es")
    login_as("officer")
    form = page_text(client.get(f"/cases/{world['case_a'].id}/plans/new"))
    assert "The family&#39;s preferred language is Spanish" in form or "The family's preferred language is Spanish" in form
    assert '<option value="es" selected' in form
    sent = auth.post(f"/cases/{world['case_a'].id}/plans/new", data={
        **ENGLISH, "barriers_translated": "El autobús pasa a las 6:40.", "translation_language": "es",
        "review_on": support.local_today().isoformat()})
    page = page_text(sent)
    assert sent.status_code == 422
    assert 'id="goals_translated-error"' in page and 'id="translated_by-error"' in page
    assert 'id="translator-error"' in page and "El autobús pasa a las 6:40." in page
    sent = auth.post(f"/cases/{world['case_a'].id}/plans/new", data={
        **ENGLISH, "school_supports_translated": "Un pase de autobús.", **SPANISH,
        "review_on": support.local_today().isoformat()})
    assert sent.status_code == 422 and 'id="school_supports_translated-error"' in page_text(sent)


def test_a_family_reading_vietnamese_signs_and_takes_home_the_vietnamese_text(client, auth, world, login_as):
    text = {"barriers_translated": "Xe buýt đến lúc 6 giờ 40.", "goals_translated": "Nghỉ học ít hơn một ngày mỗi tháng.",
            "translation_language": "vi", "translated_by": "Trần Thị Lan", "translator": "staff"}
    plan = _plan(world, language="vi", translation=text)
    login_as("officer")
    page = page_text(client.get(f"/plans/{plan.id}/sign/guardian"))
    assert 'lang="vi" class="card"' in page and "Xe buýt đến lúc 6 giờ 40." in page
    assert "Tiếng Việt" in page and "is not written in it" not in page
    assert _sign(auth, plan, language="vi").status_code == 302
    assert Signature.get().language == "vi"
    auth.post(f"/plans/{plan.id}/pdf", data={"copy": "family"})
    record = DocumentRecord.get()
    assert record.language == "vi"
    assert "Xe buýt đến lúc 6 giờ 40." in support.text_of(record)
    assert not support.missing_glyphs(bytes(record.pdf))


def test_a_plans_footer_names_the_schools_time_zone_in_each_language(world):
    from fieldapp.models import School
    School.update(time_zone="America/Chicago").where(School.id == world["school_a"].id).execute()
    plan = _plan(world)
    english = support.text_of(plans.produce_plan_pdf(world["officer"], plan, "CA"))
    spanish = support.text_of(plans.produce_plan_pdf(world["officer"], plan, "CA", language="es"))
    assert "(Central time)" in english and "Pacific" not in english
    assert "(hora del Centro)" in spanish and "Pacífico" not in spanish
