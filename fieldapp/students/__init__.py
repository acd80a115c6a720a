"""Students: finding them, their attendance, their household."""
