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
        # Rule sets (fieldapp/rules/settings.py): local thresholds and deadlines.
        "RULE_THRESHOLDS": env.get("FIELDAPP_RULE_THRESHOLDS", ""),
        "RULE_DEADLINES": env.get("FIELDAPP_RULE_DEADLINES", ""),
        "PART_DAY_MINUTES": env.get("FIELDAPP_PART_DAY_MINUTES", ""),
        "SCHOOL_DAY_MINUTES": env.get("FIELDAPP_SCHOOL_DAY_MINUTES", "360"),
        "AUTO_OPEN_CASES": env.get("FIELDAPP_AUTO_OPEN_CASES", ""),
        "IMPORT_MAX_UPLOAD_MB": int(env.get("FIELDAPP_IMPORT_MAX_UPLOAD_MB", "200")),
        # A roster deactivating more than this share of active students (or a whole
        # school) needs a typed confirmation; caps on what one import unpacks and reads.
        "IMPORT_DEACTIVATE_PERCENT": float(env.get("FIELDAPP_IMPORT_DEACTIVATE_PERCENT", "10")),
        "IMPORT_MAX_UNZIPPED_MB": int(env.get("FIELDAPP_IMPORT_MAX_UNZIPPED_MB", "100")),
        "IMPORT_MAX_ROWS": int(env.get("FIELDAPP_IMPORT_MAX_ROWS", "5000000")),
        # The IANA time zone of a school that has none set (an admin sets each school's).
        "DEFAULT_TIME_ZONE": env.get("FIELDAPP_TIME_ZONE", "America/Los_Angeles"),
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(env.get("LOGIN_LOCK_MINUTES", "15")),
        # Proxies (load balancers) in front of the app whose X-Forwarded-For is believed.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "SYNC_STALE_HOURS": int(env.get("SYNC_STALE_HOURS", "24")),
        # Background jobs' queue: sqlite:///path (embedded) or redis://host:port/db (production).
        "JOBS_URL": env.get("JOBS_URL", "sqlite:///instance/jobs.db"),
    }


class ConfigError(RuntimeError):
    """The settings would make the app unsafe or unable to run."""


def check(settings):
    """Refuse settings that must never reach production, or rule-set
    settings that cannot be applied."""
    from fieldapp.rules.settings import SettingsError, from_config
    try:
        from_config(settings)
    except SettingsError as error:
        raise ConfigError(str(error)) from None
    from fieldapp.timefmt import valid_zone
    if not valid_zone(settings.get("DEFAULT_TIME_ZONE", "America/Los_Angeles")):
        raise ConfigError(f"FIELDAPP_TIME_ZONE '{settings.get('DEFAULT_TIME_ZONE')}' is not an IANA "
                          "time zone (e.g. America/New_York)")
    if settings.get("ENV_MODE") == "production":
        key = settings.get("SECRET_KEY") or ""
        if key == DEV_SECRET or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of 32+ characters in production"
            )
