"""Chronic absence, for any district: the share of enrolled days missed for
any reason, in four bands."""
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class BandRules:
    version: str
    effective: datetime.date
    source: str
    # (lowest percent missed, band code), highest first
    bands: tuple = ((20, "severe"), (10, "moderate"), (5, "at_risk"), (0, "satisfactory"))

    def band_for(self, percent_missed):
        """satisfactory < 5% missed, at risk 5-9%, moderate chronic 10-19%, severe 20%+."""
        for floor, band in self.bands:
            if percent_missed >= floor:
                return band
        return "satisfactory"


CHRONIC_ABSENCE = BandRules(
    version="chronic-absence-2017-07-01",
    effective=datetime.date(2017, 7, 1),
    source="Chronic absence: missing 10% or more of enrolled days for any reason "
           "(ESSA state plans from 2017–18; tiers as used by Attendance Works)",
)


def band_for(percent_missed):
    """The chronic-absence band of a percentage of enrolled days missed."""
    return CHRONIC_ABSENCE.band_for(percent_missed)


def percent(missed, enrolled):
    """Days missed as a percentage of enrolled days, cut (not rounded) to one
    decimal: 9.97% shows as 9.9, since rounding it to 10.0 would cross the
    chronic-absence line the student has not crossed."""
    return (1000 * missed // enrolled) / 10 if enrolled else 0.0
