"""Settings, read from the environment once, when the app is created.

Fail closed: any FIELDAPP_ENV other than exactly `development` or `test`
(unset, empty, `prod`, `staging`...) is production, and production refuses to
start without a strong SECRET_KEY.
"""
import os
import secrets

# Kept only so production can refuse it by name if someone copies it around.
DEV_SECRET = "dev-only-not-secret"
NON_PRODUCTION_MODES = ("development", "test")


def from_environment(environ=None):
    """Return the settings dict for create_app from environment variables.

    Numbers are left as the text given; check() reads them (see NUMBERS)."""
    env = os.environ if environ is None else environ
    raw_mode = env.get("FIELDAPP_ENV", "")
    mode = raw_mode if raw_mode in NON_PRODUCTION_MODES else "production"
    # Outside production an unset key is a random one for this process: no
    # key that anyone could read in the source ever signs a session.
    key = env.get("SECRET_KEY") or ("" if mode == "production" else secrets.token_hex(32))
    return {
        "ENV_MODE": mode,
        "SECRET_KEY": key,
        "DATABASE_URL": env.get("DATABASE_URL", "sqlite:///instance/fieldapp.db"),
        "SESSION_COOKIE_SECURE": mode == "production",
        "STATE": env.get("FIELDAPP_STATE", "CA"),
        # Rule sets (fieldapp/rules/settings.py): local thresholds and deadlines.
        "RULE_THRESHOLDS": env.get("FIELDAPP_RULE_THRESHOLDS", ""),
        "RULE_DEADLINES": env.get("FIELDAPP_RULE_DEADLINES", ""),
        "PART_DAY_MINUTES": env.get("FIELDAPP_PART_DAY_MINUTES", ""),
        "SCHOOL_DAY_MINUTES": env.get("FIELDAPP_SCHOOL_DAY_MINUTES", "360"),
        # SQLite: seconds a write waits for another to end (an import's apply) before it fails.
        "DATABASE_BUSY_SECONDS": env.get("FIELDAPP_DATABASE_BUSY_SECONDS", "25"),
        "AUTO_OPEN_CASES": env.get("FIELDAPP_AUTO_OPEN_CASES", ""),
        "IMPORT_MAX_UPLOAD_MB": env.get("FIELDAPP_IMPORT_MAX_UPLOAD_MB", "200"),
        # A roster deactivating more than this share of active students (or a whole
        # school) needs a typed confirmation; caps on what one import unpacks and reads.
        "IMPORT_DEACTIVATE_PERCENT": env.get("FIELDAPP_IMPORT_DEACTIVATE_PERCENT", "10"),
        "IMPORT_MAX_UNZIPPED_MB": env.get("FIELDAPP_IMPORT_MAX_UNZIPPED_MB", "100"),
        "IMPORT_MAX_ROWS": env.get("FIELDAPP_IMPORT_MAX_ROWS", "5000000"),
        # The IANA time zone of a school that has none set (an admin sets each school's).
        "DEFAULT_TIME_ZONE": env.get("FIELDAPP_TIME_ZONE", "America/Los_Angeles"),
        "LOGIN_MAX_FAILURES": env.get("LOGIN_MAX_FAILURES", "5"),
        "LOGIN_LOCK_MINUTES": env.get("LOGIN_LOCK_MINUTES", "15"),
        # Proxies (load balancers) in front of the app whose X-Forwarded-For is believed.
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", "0"),
        "SYNC_STALE_HOURS": env.get("SYNC_STALE_HOURS", "24"),
        # Students a desk page may bring up to date before it answers (about half
        # a second of work on a busy server); more waits for the hourly job.
        "REFRESH_IN_REQUEST": env.get("FIELDAPP_REFRESH_IN_REQUEST", "200"),
        # Background jobs' queue: sqlite:///path (embedded) or redis://host:port/db (production).
        "JOBS_URL": env.get("JOBS_URL", "sqlite:///instance/jobs.db"),
        # Seconds a running job's worker may go without a heartbeat before the
        # job is taken to have stopped with it (a restart, a crash).
        "JOBS_LEASE_SECONDS": env.get("FIELDAPP_JOBS_LEASE_SECONDS", "60"),
        # Longest wait of an idle worker between looks at a SQLite queue (Redis wakes it at once).
        "JOBS_POLL_SECONDS": env.get("FIELDAPP_JOBS_POLL_SECONDS", "0.5"),
        # Hours an exported spreadsheet is kept for the user who asked for it.
        "EXPORT_KEEP_HOURS": env.get("FIELDAPP_EXPORT_KEEP_HOURS", "24"),
        **_account_settings(env, mode),
    }


def _account_settings(env, mode):
    """Sessions, log-in throttling, MFA and single sign-on (see README)."""
    return {
        # Idle minutes before a session ends: desk roles, and an officer's phone.
        "SESSION_IDLE_MINUTES": env.get("SESSION_IDLE_MINUTES", "30"),
        "SESSION_IDLE_MINUTES_OFFICER": env.get("SESSION_IDLE_MINUTES_OFFICER", "240"),
        "SESSION_MAX_HOURS": env.get("SESSION_MAX_HOURS", "12"),
        # Where rate-limit counters live: the database, or redis://host:6379.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "fieldapp-db://"),
        # Starts every counter's key, so installations sharing one Redis never share a count.
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", ""),
        "LOGIN_MAX_FAILURES_ACCOUNT": env.get("LOGIN_MAX_FAILURES_ACCOUNT", "20"),
        # Failed log-ins from one address: a district office's officers may all share one.
        "LOGIN_MAX_FAILURES_ADDRESS": env.get("LOGIN_MAX_FAILURES_ADDRESS", "100"),
        # Log-in forms sent from one address in a minute, right or wrong: a ceiling
        # against floods, far above an office whose hundreds of officers log in at 8 a.m.
        "LOGIN_MAX_PER_MINUTE_ADDRESS": env.get("LOGIN_MAX_PER_MINUTE_ADDRESS", "600"),
        # Roles that must use a second factor; on a laptop (the demo) none unless set.
        "MFA_REQUIRED_ROLES": env.get("MFA_REQUIRED_ROLES",
                                      "supervisor,admin" if mode == "production" else ""),
        "OIDC_ISSUER": env.get("OIDC_ISSUER", ""),
        "OIDC_CLIENT_ID": env.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", ""),
    }


class ConfigError(RuntimeError):
    """The settings would make the app unsafe or unable to run."""


# setting -> (environment variable, lowest, highest, whole number?). The ranges
# keep every limit meaningful: no lock of zero minutes, no session that can
# never end, no proxy count that believes a forged address.
NUMBERS = {
    "IMPORT_MAX_UPLOAD_MB": ("FIELDAPP_IMPORT_MAX_UPLOAD_MB", 1, 10_000, True),
    "IMPORT_DEACTIVATE_PERCENT": ("FIELDAPP_IMPORT_DEACTIVATE_PERCENT", 0, 100, False),
    "IMPORT_MAX_UNZIPPED_MB": ("FIELDAPP_IMPORT_MAX_UNZIPPED_MB", 1, 100_000, True),
    "IMPORT_MAX_ROWS": ("FIELDAPP_IMPORT_MAX_ROWS", 1, 1_000_000_000, True),
    "LOGIN_MAX_FAILURES": ("LOGIN_MAX_FAILURES", 1, 1_000, True),
    "LOGIN_LOCK_MINUTES": ("LOGIN_LOCK_MINUTES", 1, 10_080, True),
    "LOGIN_MAX_FAILURES_ACCOUNT": ("LOGIN_MAX_FAILURES_ACCOUNT", 1, 10_000, True),
    "LOGIN_MAX_FAILURES_ADDRESS": ("LOGIN_MAX_FAILURES_ADDRESS", 1, 100_000, True),
    "LOGIN_MAX_PER_MINUTE_ADDRESS": ("LOGIN_MAX_PER_MINUTE_ADDRESS", 10, 100_000, True),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", 0, 10, True),
    "SYNC_STALE_HOURS": ("SYNC_STALE_HOURS", 1, 8_760, True),
    "REFRESH_IN_REQUEST": ("FIELDAPP_REFRESH_IN_REQUEST", 0, 100_000, True),
    "EXPORT_KEEP_HOURS": ("FIELDAPP_EXPORT_KEEP_HOURS", 1, 720, True),
    "JOBS_LEASE_SECONDS": ("FIELDAPP_JOBS_LEASE_SECONDS", 1, 3600, False),
    "DATABASE_BUSY_SECONDS": ("FIELDAPP_DATABASE_BUSY_SECONDS", 1, 600, False),
    "JOBS_POLL_SECONDS": ("FIELDAPP_JOBS_POLL_SECONDS", 0.1, 60, False),
    "SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", 1, 10_080, True),
    "SESSION_IDLE_MINUTES_OFFICER": ("SESSION_IDLE_MINUTES_OFFICER", 1, 10_080, True),
    "SESSION_MAX_HOURS": ("SESSION_MAX_HOURS", 0.1, 744, False),
}


def _read_numbers(settings):
    """Replace each setting of NUMBERS (text from the environment, or a number
    given in code) by the number it writes, read by fieldapp/numbers.py;
    raise ConfigError naming the variable when it is not a number in range."""
    from fieldapp.numbers import decimal_number, whole_number
    for key, (variable, low, high, whole) in NUMBERS.items():
        if key not in settings:
            continue
        raw = settings[key]
        number = whole_number(raw, low, high) if whole else decimal_number(raw, low, high)
        if number is None:
            kind = "a whole number" if whole else "a number"
            raise ConfigError(f"{variable} must be {kind} from {low} to {high:,}, "
                              f"not {str(raw)[:40]!r}")
        settings[key] = number


def _check_roles(settings):
    from fieldapp.codes import ROLES
    named = [role.strip() for role in str(settings.get("MFA_REQUIRED_ROLES") or "").split(",")]
    unknown = [role for role in named if role and role not in ROLES]
    if unknown:
        raise ConfigError(f"MFA_REQUIRED_ROLES names no role {', '.join(map(repr, unknown))} "
                          f"(roles: {', '.join(ROLES)})")


def check(settings):
    """Refuse settings that must never reach production, numbers that are not
    numbers in their range, or rule-set settings that cannot be applied
    (ConfigError, naming the variable). Numbers given as text are replaced in
    settings by their value."""
    from fieldapp.rules.settings import SettingsError, from_config
    _read_numbers(settings)
    _check_roles(settings)
    try:
        from_config(settings)
    except SettingsError as error:
        raise ConfigError(str(error)) from None
    from fieldapp.timefmt import valid_zone
    if not valid_zone(settings.get("DEFAULT_TIME_ZONE", "America/Los_Angeles")):
        raise ConfigError(f"FIELDAPP_TIME_ZONE '{settings.get('DEFAULT_TIME_ZONE')}' is not an IANA "
                          "time zone (e.g. America/New_York)")
    if settings.get("ENV_MODE") not in NON_PRODUCTION_MODES:
        key = settings.get("SECRET_KEY") or ""
        if key == DEV_SECRET or len(key) < 32 or len(set(key)) < 12:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of 32+ characters in production "
                "(FIELDAPP_ENV is not 'development' or 'test', so this is production)"
            )
