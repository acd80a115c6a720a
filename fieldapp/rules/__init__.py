"""The law as data: school calendars, state rule sets and the engine that
turns a student's attendance into their truancy status, chronic-absence band
and next legal step. No Flask here; callers pass the settings in."""
