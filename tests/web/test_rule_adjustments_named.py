"""A district's local rule settings are named by each step's name, in the
reader's language, where the rule set in force is said (the worklist, the
rule-set page): they read "adjusted locally: ca_first_notice at 2"."""
from fieldapp.models import User
from tests.web.conftest import page_text


def test_local_settings_name_the_steps_as_every_page_does(auth, login_as, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "RULE_THRESHOLDS", "ca_first_notice=2")
    monkeypatch.setitem(app.config, "RULE_DEADLINES", "ca_first_notice=4")
    monkeypatch.setitem(app.config, "PART_DAY_MINUTES", "45")
    supervisor = login_as("supervisor")
    said = ("First truancy notification to the parent at 2 truancies",
            "First truancy notification to the parent due in 4 school days", "parts of days count from 45 minutes")
    for url in ("/worklist", "/admin/rules"):
        page = page_text(auth.client.get(url))
        assert all(words in page for words in said) and "ca_first_notice at" not in page, url
        assert "ca_first_notice due" not in page
    User.update(language="es").where(User.id == supervisor.id).execute()
    for url in ("/worklist", "/admin/rules"):
        page = page_text(auth.client.get(url))
        assert "Primer aviso de ausentismo escolar al padre o la madre al llegar a 2 faltas por ausentismo" in page, url
        assert "Primer aviso de ausentismo escolar al padre o la madre: plazo de 4 días de clase" in page
        assert "las partes de un día cuentan desde 45 minutos" in page
