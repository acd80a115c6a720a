"""How far long work that reads a file has gone: a stream that counts the
bytes read through it and says so, a hundred times at most, to whoever
shows progress (a job's row, a progress bar on the command line).

An import reads its whole file while it checks it, so the bytes read say
how far the check has gone without the readers knowing about it."""
import io
import sys


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

    def finish(self):
        """Say the reading is over though some bytes were never read (a zip's
        members that are not imported): done becomes total, reported once."""
        if self.said < self.total:
            self.done = self.said = self.total
            self.report(self.total, self.total, finished=True)

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


class Bars:
    """progress(done, total, step) drawn on the terminal (standard error) as
    click progress bars, one per step; a step without a total is said on a
    line. Off a terminal click prints each step's label once, so logs stay
    short. Call close() when the work is over (or use it as a context manager)."""

    def __init__(self):
        self.bar, self.total, self.shown, self.step = None, None, 0, None

    def __call__(self, done, total, step=""):
        import click
        step = str(step)
        if step != self.step or total != self.total or done < self.shown:
            self.close()
            self.step, self.total, self.shown = step, total, 0
            if not total:
                click.echo(f"{step}…", err=True)
                return
            self.bar = click.progressbar(length=total, label=step, file=sys.stderr, show_pos=True,
                                         show_eta=True)
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.shown)
            self.shown = done

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
