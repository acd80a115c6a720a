import datetime

from peewee import Model

from fieldapp.db import database


def utcnow():
    """Naive UTC timestamp; every stored time is UTC."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
