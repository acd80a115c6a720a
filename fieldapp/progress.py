"""How far long work that reads a file has gone: a stream that counts the
bytes read through it and says so, a hundred times at most, to whoever
shows progress (a job's row, a progress bar on the command line).

An import reads its whole file while it checks it, so the bytes read say
how far the check has gone without the readers knowing about it."""
import io


class ReadingProgress(io.RawIOBase):
    """A binary stream over `stream` (seekable: a zip is read from its end
    first) that calls report(done, total) as bytes are read, done and total
    in bytes, done never past total and never going back. When done reaches
    total, report is called once more with finished=True."""

    def __init__(self, stream, total, report, steps=100):
        super().__init__()
        self.stream, self.total, self.report = stream, max(int(total), 0), report
        self.done, self.said = 0, -1
        self.every = max(self.total // steps, 1)

    def readable(self):
        return True

    def seekable(self):
        return self.stream.seekable()

    def seek(self, offset, whence=io.SEEK_SET):
        return self.stream.seek(offset, whence)

    def tell(self):
        return self.stream.tell()

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        self._count(len(data))
        return len(data)

    def read(self, size=-1):
        data = self.stream.read(size)
        self._count(len(data))
        return data

    def _count(self, n):
        if not n or self.said >= self.total:
            return
        self.done = min(self.done + n, self.total)
        if self.done >= self.total or self.done - max(self.said, 0) >= self.every:
            self.said = self.done
            self.report(self.done, self.total, finished=self.done >= self.total)


def size_of(stream):
    """The bytes left to read in a seekable binary stream (its position kept)."""
    here = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(here)
    return end - here
