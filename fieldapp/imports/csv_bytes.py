"""What a file's bytes say before it is read as CSV: another kind of file given as one (a zip, a
workbook, a PDF), a NUL byte, or more bytes than an import takes."""
import io

from fieldapp.imports.report import ImportRefused
from fieldapp.messages import Message


def not_text(head, binary, name):
    """Why a file given as a CSV is another kind of file (a zip, a workbook, a
    PDF), said from its first bytes; None for anything else. Read as text,
    such a file would be refused for its first NUL byte, which names no
    mistake a person can see."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if _is_workbook(binary):
            return Message("%(file)s is a spreadsheet workbook (such as Excel's .xlsx), not a CSV file: open it, "
                           "save it as \"CSV UTF-8\" and import that file. Nothing was changed.", file=name)
        return Message("%(file)s is a zip file, not a CSV file. A OneRoster roster comes as a zip: import it as a "
                       "roster. Otherwise unzip it and import the CSV file inside. Nothing was changed.", file=name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Message("%(file)s is an Excel 97-2003 workbook (.xls), not a CSV file: open it, save it as "
                       "\"CSV UTF-8\" and import that file. Nothing was changed.", file=name)
    if head.startswith(b"%PDF"):
        return Message("%(file)s is a PDF document, not a CSV file: export the data from the student information "
                       "system as CSV UTF-8 and import that file. Nothing was changed.", file=name)
    if head.startswith(b"\x1f\x8b"):
        return Message("%(file)s is a compressed (gzip) file, not a CSV file: uncompress it and import the CSV "
                       "file inside. Nothing was changed.", file=name)
    return None


def _is_workbook(binary):
    """Whether a zip holds a spreadsheet (an .xlsx or .ods), read from its list of members."""
    import zipfile
    if not binary.seekable():
        return False
    try:
        binary.seek(0)
        with zipfile.ZipFile(binary) as packed:
            names = packed.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        binary.seek(0)
    return any(n.startswith("xl/") for n in names) or "content.xml" in names and "mimetype" in names


class Guard(io.RawIOBase):
    """The file's bytes, with already-read bytes put back in front, checked
    as they are read: no NUL byte (PostgreSQL stores no NUL in text), no
    more than max_bytes."""

    def __init__(self, head, rest, file, max_bytes):
        self.head, self.rest, self.file, self.max_bytes, self.read_so_far = head, rest, file, max_bytes, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        at = data.find(b"\x00")
        if at >= 0:
            row = self.file.row_at(self.read_so_far + at)
            where = (Message("row %(row)s", row=str(row)) if row else
                     Message("byte %(num)d", num=self.read_so_far + at + 1))
            raise ImportRefused(Message("%(file)s holds a NUL byte (%(where)s), which is not text; export it again "
                                        "as CSV UTF-8. Nothing was changed.", file=self.file.name, where=where))
        self.read_so_far += len(data)
        if self.max_bytes is not None and self.read_so_far > self.max_bytes:
            raise ImportRefused(Message("%(file)s is larger than %(most)d MB once unpacked "
                                        "(FIELDAPP_IMPORT_MAX_UNZIPPED_MB). Nothing was changed.",
                                        file=self.file.name, most=self.max_bytes // 1_000_000))
        buffer[:len(data)] = data
        return len(data)
