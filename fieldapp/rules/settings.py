"""The installation's rule-set settings, read from the app's configuration.

    FIELDAPP_STATE=TX
    FIELDAPP_RULE_THRESHOLDS="tx_warning_notice=4"   step code = count
    FIELDAPP_RULE_DEADLINES="tx_warning_notice=3"    step code = school days
    FIELDAPP_PART_DAY_MINUTES=45                     parts of days count from
    FIELDAPP_AUTO_OPEN_CASES=1                       open a case at the first threshold
"""
import dataclasses
from dataclasses import dataclass, field

from fieldapp.numbers import whole_number
from fieldapp.rules.states import RULE_SETS

MINUTES_IN_DAY = 1440


class SettingsError(ValueError):
    """A rule-set setting that cannot be applied, with what to fix."""


@dataclass(frozen=True)
class RuleSettings:
    state: str = "CA"
    thresholds: dict = field(default_factory=dict)
    deadlines: dict = field(default_factory=dict)
    part_day_minutes: int = None  # None: the rule set's own
    auto_open: bool = False
    due_soon_days: int = 5  # the worklist's "due soon", in school days
    school_day_minutes: int = 360  # turns an Ed-Fi eventDuration (share of a day) into minutes
    # stored standings a page may bring up to date before it answers (FIELDAPP_REFRESH_IN_REQUEST)
    refresh_in_request: int = 200

    @property
    def rule_set(self):
        return RULE_SETS[self.state]

    def version_on(self, day):
        """The rule-set version in effect on day, with the local settings applied."""
        version = self.rule_set.version_on(day)
        if self.thresholds or self.deadlines or self.part_day_minutes is not None:
            version = version.adjusted(self.thresholds, self.deadlines, self.part_day_minutes)
        if version.school_day_minutes != self.school_day_minutes:
            version = dataclasses.replace(version, school_day_minutes=self.school_day_minutes)
        return version


def _pairs(text, name, known, minimum):
    pairs = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        code, _, value = item.partition("=")
        code = code.strip()
        if code not in known:
            raise SettingsError(f"{name}: '{code}' is not a step of this state's rule set "
                                f"(steps: {', '.join(sorted(known))})")
        number = whole_number(value, minimum, 10_000)
        if number is None:
            raise SettingsError(f"{name}: '{item}' must be step=number, a whole number "
                                f"from {minimum} to 10,000")
        pairs[code] = number
    return pairs


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def from_config(config):
    """RuleSettings from a config mapping (app.config); raises SettingsError."""
    state = str(config.get("STATE") or "CA").upper()
    if state not in RULE_SETS:
        raise SettingsError(f"FIELDAPP_STATE must be one of {', '.join(RULE_SETS)}, not '{state}'")
    known = RULE_SETS[state].step_codes()
    minutes = config.get("PART_DAY_MINUTES")
    if isinstance(minutes, str) and not minutes.strip():
        minutes = None
    if minutes is not None and whole_number(minutes, 0, MINUTES_IN_DAY) is None:
        raise SettingsError(f"FIELDAPP_PART_DAY_MINUTES must be a whole number of minutes "
                            f"from 0 to {MINUTES_IN_DAY}, not {str(minutes)[:40]!r}")
    day_minutes = config.get("SCHOOL_DAY_MINUTES")
    if day_minutes is None:
        day_minutes = "360"
    if whole_number(day_minutes, 1, MINUTES_IN_DAY) is None:
        raise SettingsError(f"FIELDAPP_SCHOOL_DAY_MINUTES must be a whole number of minutes "
                            f"from 1 to {MINUTES_IN_DAY}, not {str(day_minutes)[:40]!r}")
    return RuleSettings(
        state=state,
        thresholds=_pairs(config.get("RULE_THRESHOLDS"), "FIELDAPP_RULE_THRESHOLDS", known, 1),
        deadlines=_pairs(config.get("RULE_DEADLINES"), "FIELDAPP_RULE_DEADLINES", known, 0),
        part_day_minutes=None if minutes is None else whole_number(minutes, 0, MINUTES_IN_DAY),
        auto_open=_flag(config.get("AUTO_OPEN_CASES", "")),
        school_day_minutes=whole_number(day_minutes, 1, MINUTES_IN_DAY),
        # checked with the other numbers at start-up (fieldapp.config.NUMBERS)
        refresh_in_request=whole_number(config.get("REFRESH_IN_REQUEST", 200), 0, 100_000) or 0,
    )
