"""What each user chooses for themselves: the language of their screens."""
from fieldapp.messages import Message
from fieldapp.models import User

# The languages the screens are written in, each named in itself so anyone can
# find theirs; the first is the default.
SCREEN_LANGUAGES = {"en": "English", "es": "Español"}


def set_language(user, choice):
    """Save the language user's screens are shown in; returns errors by field."""
    choice = (choice or "").strip()
    if choice not in SCREEN_LANGUAGES:
        return {"language": Message("Choose a language from the list.")}
    user.language = choice
    user.save(only=[User.language])
    return {}
