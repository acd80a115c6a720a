"""Matching a district single sign-on (OpenID Connect) to a fieldapp user.

The identity provider's signed ID token has been checked by the client
library (signature against the provider's JWKS, issuer, audience, nonce,
expiry) before this module sees its claims. A user is found only by an email
the provider says it verified; nobody is ever created here, so an unknown
email gets no role at all.
"""
from fieldapp.accounts.login import normalise_email
from fieldapp.messages import Message
from fieldapp.models import User

UNKNOWN = Message("Your district account is not a fieldapp user. Ask your administrator to add you.")
UNVERIFIED = Message("Your district account's email is not verified; fieldapp cannot match it.")


class SignOnRefused(Exception):
    """The sign-on cannot log anyone in; the message (a Message) says why."""


def user_for_claims(claims):
    """The active User whose email the ID token's claims vouch for, or raise
    SignOnRefused. claims: dict of the verified ID token (email, email_verified)."""
    given = claims.get("email")
    email = normalise_email(given)[:254] if isinstance(given, str) else ""
    verified = claims.get("email_verified")
    if not email or not (verified is True or str(verified).lower() == "true"):
        raise SignOnRefused(UNVERIFIED)
    if any(ord(c) < 32 or ord(c) == 127 for c in email):  # no account has one; PostgreSQL refuses NUL
        raise SignOnRefused(UNKNOWN)
    user = User.get_or_none(User.email == email)
    if user is None or not user.active:
        raise SignOnRefused(UNKNOWN)
    return user
