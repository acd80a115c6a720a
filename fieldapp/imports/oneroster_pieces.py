"""The bytes of one part of a file, and the pieces of plain values a second
part's process sends back (see oneroster_parts)."""
import io
import marshal
from functools import partial

PIECE = 20_000  # rows sent back at a time: no buffer of a whole half in either process


def packed_rows(kind, rows):
    """[(kind, piece)] for {sid: plain tuple, or None}, PIECE rows a piece,
    each as plain values that unpack into few objects: its sids and one
    tuple per field (no tuple per row), or a dict where a row is None (to
    deactivate or unlink: seldom many)."""
    items, pieces = list(rows.items()), []
    for start in range(0, len(items), PIECE):
        piece = dict(items[start:start + PIECE])
        if None not in piece.values():
            piece = (list(piece), list(zip(*piece.values())))
        pieces.append((kind, piece))
    return pieces


def read_pieces(stream):
    """The values the child sent, one marshalled piece after another (each after its length)."""
    while True:
        size = stream.read(8)
        if len(size) < 8:
            return
        yield marshal.loads(stream.read(int.from_bytes(size, "little")))


def unpacked(packed, make):
    """(sid, namedtuple `make` or None) of a piece of packed_rows(), in the file's order."""
    if isinstance(packed, dict):
        return ((sid, None if row is None else tuple.__new__(make, row)) for sid, row in packed.items())
    sids, fields = packed
    return zip(sids, map(partial(tuple.__new__, make), zip(*fields)))


def line_ends(data):
    """Raise ValueError for a line ended by \\r alone (rows are then counted by \\n no longer)."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n") + data.endswith(b"\r"):
        raise ValueError("a line ends with \\r alone")


class Until(io.RawIOBase):
    """A file's bytes up to and including its first \\n at or after byte `middle`."""

    def __init__(self, stream, middle):
        super().__init__()
        self.stream, self.middle, self.at, self.ended = stream, middle, 0, False

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.ended:
            return 0
        data = self.stream.read(len(buffer))
        start = max(self.middle - self.at, 0)
        end = data.find(b"\n", start) if start < len(data) else -1
        if end >= 0 or not data:
            data, self.ended = data[:end + 1] if end >= 0 else data, True
        self.at += len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()


class Prefixed(io.RawIOBase):
    """`head` (a file's header line), then the rest of `stream` (its rows from
    a line on), each read checked for line ends that \\n does not count."""

    def __init__(self, head, stream):
        super().__init__()
        self.head, self.stream = head, stream

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.head:
            data, self.head = self.head[:len(buffer)], self.head[len(buffer):]
        else:
            data = self.stream.read(len(buffer))
            line_ends(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()
