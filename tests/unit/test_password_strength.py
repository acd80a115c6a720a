"""A password is judged by zxcvbn told the words an attacker tries first
here (NIST SP 800-63B 5.1.1.2): the parts of the user's email, their name,
their schools and district, their role and the product's words."""
import pytest

from fieldapp.accounts.passwords import weakness
from fieldapp.accounts.users import UserError, create_user
from tests import factories


@pytest.mark.parametrize("password,email,context", [
    ("fielddemo2026!", "officer2@demo.fieldapp.test", ()),  # the email's domain, run together
    ("eastvalleyusd2026", "lee@eastvalleyusd.org", ()),
    ("riversidehigh2026", "lee@district.org", ["Riverside High"]),
    ("maplewoodunified26", "lee@district.org", ["Maplewood Unified"]),
])
def test_words_of_the_users_own_context_make_a_weak_password(password, email, context):
    assert weakness(password, email, "Lee Park", context) is not None


def test_a_strong_password_still_passes():
    assert weakness("orchard-lantern-47-quill", "lee@eastvalleyusd.org", "Lee Park",
                    ["Riverside High", "Maplewood Unified"]) is None


def test_a_new_user_may_not_take_their_schools_name(app):
    school = factories.gen_school("Riverside High")
    with pytest.raises(UserError) as refused:
        create_user("lee@district.org", "riversidehigh2026", "officer", "Lee Park", [school.id])
    assert "easy to guess" in str(refused.value.errors["password"])
