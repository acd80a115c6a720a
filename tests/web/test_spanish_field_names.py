"""A Spanish page names a field as its form labels it, and the end of a date
range as the rest of the app does ("Hasta", never "Para")."""
import datetime

from flask_babel import force_locale

from fieldapp.models import User
from fieldapp.web.printed import filters_in_words
from tests.web.conftest import page_text
from tests.web.test_assignment import desk  # noqa: F401 (fixture)


def test_a_date_range_in_an_exports_words_ends_with_hasta(app):
    with app.test_request_context("/"), force_locale("es"):
        words = dict(filters_in_words({"date_from": datetime.date(2026, 11, 1),
                                       "date_to": datetime.date(2026, 12, 1)}))
    assert set(words) == {"Desde", "Hasta"}


def test_the_why_field_of_assigning_and_handing_over_is_named_as_labelled(auth, login_as, desk):  # noqa: F811
    User.update(language="es").where(User.id == desk["supervisor"].id).execute()
    login_as("supervisor")
    case = desk["case_a"]
    refused = page_text(auth.post(f"/cases/{case.id}/assign", data={"officer": str(desk["second_officer"].id)}))
    assert "Falta completar «Por qué»." in refused and "Motivo" not in refused
    leaving = desk["officer"]
    handed = page_text(auth.post(f"/supervisor/officers/{leaving.id}/hand-over",
                                 data={f"school_{desk['school_a'].id}": str(desk["second_officer"].id)}))
    assert "Falta completar «Por qué»." in handed and "Motivo" not in handed
