"""The installation's rule-set settings, read from the app's configuration.

    FIELDAPP_STATE=TX
    FIELDAPP_RULE_THRESHOLDS="tx_warning_notice=4"   step code = count
    FIELDAPP_RULE_DEADLINES="tx_warning_notice=3"    step code = school days
    FIELDAPP_PART_DAY_MINUTES=45                     parts of days count from
    FIELDAPP_AUTO_OPEN_CASES=1                       open a case at the first threshold
"""
from dataclasses import dataclass, field

from fieldapp.rules.states import RULE_SETS


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

    @property
    def rule_set(self):
        return RULE_SETS[self.state]

    def version_on(self, day):
        """The rule-set version in effect on day, with the local settings applied."""
        version = self.rule_set.version_on(day)
        if self.thresholds or self.deadlines or self.part_day_minutes is not None:
            version = version.adjusted(self.thresholds, self.deadlines, self.part_day_minutes)
        return version


def _pairs(text, name, known, minimum):
    pairs = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        code, _, value = item.partition("=")
        code = code.strip()
        if code not in known:
            raise SettingsError(f"{name}: '{code}' is not a step of this state's rule set "
                                f"(steps: {', '.join(sorted(known))})")
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(f"{name}: '{item}' must be step=number") from None
        if number < minimum:
            raise SettingsError(f"{name}: '{item}' must be {minimum} or more")
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
    minutes = str(config.get("PART_DAY_MINUTES") or "").strip()
    if minutes and not minutes.isdigit():
        raise SettingsError("FIELDAPP_PART_DAY_MINUTES must be a whole number of minutes")
    day_minutes = str(config.get("SCHOOL_DAY_MINUTES") or "360").strip()
    if not day_minutes.isdigit() or int(day_minutes) < 1:
        raise SettingsError("FIELDAPP_SCHOOL_DAY_MINUTES must be a whole number of minutes")
    return RuleSettings(
        state=state,
        thresholds=_pairs(config.get("RULE_THRESHOLDS"), "FIELDAPP_RULE_THRESHOLDS", known, 1),
        deadlines=_pairs(config.get("RULE_DEADLINES"), "FIELDAPP_RULE_DEADLINES", known, 0),
        part_day_minutes=int(minutes) if minutes else None,
        auto_open=_flag(config.get("AUTO_OPEN_CASES", "")),
        school_day_minutes=int(day_minutes),
    )
