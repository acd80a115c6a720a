"""Settings, read from the environment once, when the app is created."""
import os

DEV_SECRET = "dev-only-not-secret"


def from_environment(environ=None):
    """Return the settings dict for create_app from environment variables."""
    env = os.environ if environ is None else environ
    mode = env.get("FIELDAPP_ENV", "development")
    return {
        "ENV_MODE": mode,
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET),
        "DATABASE_URL": env.get("DATABASE_URL", "sqlite:///instance/fieldapp.db"),
        "SESSION_COOKIE_SECURE": mode != "development",
        "STATE": env.get("FIELDAPP_STATE", "CA"),
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(env.get("LOGIN_LOCK_MINUTES", "15")),
    }


class ConfigError(RuntimeError):
    """The settings would make the app unsafe or unable to run."""


def check(settings):
    """Refuse settings that must never reach production."""
    if settings.get("ENV_MODE") == "production":
        key = settings.get("SECRET_KEY") or ""
        if key == DEV_SECRET or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of 32+ characters in production"
            )
