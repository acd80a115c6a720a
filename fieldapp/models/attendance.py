from peewee import CharField, DateField, ForeignKeyField, IntegerField

from fieldapp.models.base import BaseModel
from fieldapp.models.people import School, Student


class AttendanceEvent(BaseModel):
    """One attendance mark of a student on a day (Ed-Fi category code)."""
    student = ForeignKeyField(Student, backref="attendance", on_delete="CASCADE")
    school = ForeignKeyField(School)
    date = DateField()
    category = CharField()
    minutes = IntegerField(default=0)
    reason = CharField(default="")  # the Ed-Fi attendanceEventReason, as imported
    import_run_id = IntegerField(null=True)  # the import that stored it, to undo it

    class Meta:
        indexes = ((("student", "date"), False),)
