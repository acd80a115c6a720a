"""Settings are read once, at start-up, by the one number parser
(fieldapp/numbers.py): a value that is not a plain number in its range stops
the app with a message that names the variable, instead of starting with a
value nobody meant or failing on every request later."""
import pytest

from fieldapp import create_app
from fieldapp.config import ConfigError, check, from_environment
from fieldapp.numbers import decimal_number
from fieldapp.rules.settings import SettingsError, from_config

BASE = {"FIELDAPP_ENV": "test", "SECRET_KEY": "x", "DATABASE_URL": "sqlite:///:memory:"}
HOSTILE = ["²", "٣", "①", "abc", "-1", "1_000", " ", "9" * 5000, "1\x00", "nan", "inf", "1e3"]
VARIABLES = ["LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES", "LOGIN_MAX_FAILURES_ACCOUNT",
             "LOGIN_MAX_FAILURES_ADDRESS", "LOGIN_MAX_PER_MINUTE_ADDRESS", "SESSION_IDLE_MINUTES",
             "SESSION_IDLE_MINUTES_OFFICER",
             "SESSION_MAX_HOURS", "TRUSTED_PROXIES", "SYNC_STALE_HOURS",
             "FIELDAPP_IMPORT_MAX_UPLOAD_MB", "FIELDAPP_IMPORT_DEACTIVATE_PERCENT",
             "FIELDAPP_IMPORT_MAX_UNZIPPED_MB", "FIELDAPP_IMPORT_MAX_ROWS",
             "FIELDAPP_PART_DAY_MINUTES", "FIELDAPP_SCHOOL_DAY_MINUTES", "FIELDAPP_REFRESH_IN_REQUEST"]


@pytest.mark.parametrize("variable", VARIABLES)
@pytest.mark.parametrize("value", HOSTILE)
def test_a_setting_that_is_not_a_number_in_range_stops_the_start(variable, value):
    if value == " " and variable == "FIELDAPP_PART_DAY_MINUTES":
        return  # blank: the rule set's own
    with pytest.raises(ConfigError, match=variable):
        check(from_environment({**BASE, variable: value}))


@pytest.mark.parametrize("variable,value", [
    ("SESSION_IDLE_MINUTES", "0"), ("SESSION_IDLE_MINUTES", "99999999999"),
    ("SESSION_MAX_HOURS", "0"), ("SESSION_MAX_HOURS", "1e308"), ("LOGIN_MAX_FAILURES", "0"),
    ("FIELDAPP_IMPORT_DEACTIVATE_PERCENT", "101"), ("FIELDAPP_SCHOOL_DAY_MINUTES", "0"),
    ("FIELDAPP_PART_DAY_MINUTES", "1441"), ("FIELDAPP_REFRESH_IN_REQUEST", "100001")])
def test_numbers_out_of_their_range_stop_the_start(variable, value):
    with pytest.raises(ConfigError, match=variable):
        check(from_environment({**BASE, variable: value}))


def test_the_app_refuses_to_start_and_says_which_setting(monkeypatch):
    monkeypatch.setenv("SESSION_MAX_HOURS", "nan")
    with pytest.raises(ConfigError, match="SESSION_MAX_HOURS"):
        create_app({"DATABASE_URL": "sqlite:///:memory:", "ENV_MODE": "test"})


def test_plain_values_are_read_as_numbers():
    settings = from_environment({**BASE, "LOGIN_MAX_FAILURES": " 7 ", "SESSION_MAX_HOURS": "8.5",
                                 "FIELDAPP_IMPORT_DEACTIVATE_PERCENT": "12.5",
                                 "FIELDAPP_PART_DAY_MINUTES": "45", "FIELDAPP_REFRESH_IN_REQUEST": "0"})
    check(settings)
    assert settings["LOGIN_MAX_FAILURES"] == 7
    assert settings["SESSION_MAX_HOURS"] == 8.5
    assert settings["IMPORT_DEACTIVATE_PERCENT"] == 12.5
    assert from_config(settings).part_day_minutes == 45
    assert from_config(settings).refresh_in_request == 0  # a page never refreshes: the job does
    assert from_config(from_environment(BASE)).refresh_in_request == 200


@pytest.mark.parametrize("value", ["²", "٣", "-1", "1_0", "9" * 5000, "1.5", ""])
def test_rule_thresholds_are_plain_whole_numbers(value):
    with pytest.raises(SettingsError, match="FIELDAPP_RULE_THRESHOLDS"):
        from_config({"STATE": "TX", "RULE_THRESHOLDS": f"tx_warning_notice={value}"})


@pytest.mark.parametrize("value", ["supervisors", "admin,superuser", "Admin"])
def test_an_unknown_role_in_the_second_factor_setting_stops_the_start(value):
    """A misspelt role would silently ask nobody for a second factor."""
    with pytest.raises(ConfigError, match="MFA_REQUIRED_ROLES"):
        check(from_environment({**BASE, "MFA_REQUIRED_ROLES": value}))


def test_decimal_number_reads_only_plain_decimals():
    assert decimal_number("12.5", 0, 100) == 12.5
    assert decimal_number(3, 0, 100) == 3.0
    for text in ["nan", "inf", "1e3", "²", "1.2.3", ".", "", "-1", float("nan"), True, None]:
        assert decimal_number(text, 0, 10**9) is None
