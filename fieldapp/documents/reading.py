"""Reading the text of a PDF someone uploaded, within a budget.

A small PDF can hold streams that decompress to tens of megabytes, and pypdf
spends seconds of CPU per megabyte; in the web process one such upload would
hold a worker for as long as it likes. So an uploaded copy is read in a child
process with a CPU time limit, a wall-clock backstop and a memory cap, and pypdf is
told to give up on any stream past a size; the pages and the decompressed
page content are counted as they are read. fieldapp's own documents (a case
report, a plan, a stack of 100 letters) stay far inside every limit.

Run as `python -m fieldapp.documents.reading LIMITS_JSON` with the PDF on stdin
(that is what read_text does); it prints {"pages": [...]} or {"refused": why}.
"""
import dataclasses
import json
import subprocess
import sys


@dataclasses.dataclass(frozen=True)
class Budget:
    """What reading one uploaded PDF may cost."""
    pages: int = 400  # a stack of 100 letters is about 200 pages
    stream_bytes: int = 1_000_000  # decompressed, one stream
    content_bytes: int = 12_000_000  # decompressed page content, all pages together
    cpu_seconds: int = 5
    # Wall clock, for a busy machine where starting Python alone can take a second or two.
    seconds: int = 20
    memory_bytes: int = 768 * 2**20


BUDGET = Budget()


class Unreadable(Exception):
    """The copy cannot be read within the budget. `reason`: pages, size, time or broken."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def read_text(pdf_bytes, budget=BUDGET):
    """The text of each page of pdf_bytes, read in a child process within budget.

    Returns a list of str (one per page). Raises Unreadable("pages") past
    budget.pages, ("size") past a stream or content size, ("time") past the
    time limit, ("broken") when the file is not a PDF pypdf can read.
    """
    if not pdf_bytes.lstrip()[:5] == b"%PDF-":
        raise Unreadable("broken")
    try:
        done = subprocess.run([sys.executable, "-m", "fieldapp.documents.reading",
                               json.dumps(dataclasses.asdict(budget))],
                              input=pdf_bytes, capture_output=True, timeout=budget.seconds)
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise Unreadable("time") from None
    try:
        answer = json.loads(done.stdout or b"{}")
    except ValueError:
        answer = {}
    if "pages" in answer:
        return answer["pages"]
    # Killed for CPU time (SIGXCPU/SIGKILL) or memory (MemoryError), or refused by the child.
    reason = answer.get("refused") or ("time" if done.returncode < 0 else "broken")
    raise Unreadable(reason)


def _limit_resources(budget):
    import resource
    resource.setrlimit(resource.RLIMIT_CPU, (budget.cpu_seconds, budget.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (budget.memory_bytes, budget.memory_bytes))


def _read(pdf_bytes, budget):
    """In the child: the pages' text, or raise Unreadable."""
    import io

    from pypdf import PdfReader, overwrite_configuration
    from pypdf.errors import LimitReachedError
    limit = budget.stream_bytes
    overwrite_configuration(
        zlib_maximum_output_length=limit, lzw_maximum_output_length=limit,
        run_length_maximum_output_length=limit, brotli_maximum_output_length=limit,
        jbig2_maximum_output_length=limit, maximum_declared_stream_length=limit,
        array_based_stream_maximum_output_length=limit, image_maximum_buffer_size=limit,
        stream_decoding_work_maximum_length=budget.content_bytes)
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        if len(reader.pages) > budget.pages:
            raise Unreadable("pages")
        texts, content = [], 0
        for page in reader.pages:
            stream = page.get_contents()
            content += len(stream.get_data()) if stream is not None else 0
            if content > budget.content_bytes:
                raise Unreadable("size")
            texts.append(page.extract_text() or "")
    except Unreadable:
        raise
    except (LimitReachedError, MemoryError):
        raise Unreadable("size") from None
    except Exception:  # any other failure of a hostile file: unreadable, never a crash
        raise Unreadable("broken") from None
    return texts


def _main():
    budget = Budget(**json.loads(sys.argv[1]))
    _limit_resources(budget)
    try:
        answer = {"pages": _read(sys.stdin.buffer.read(), budget)}
    except Unreadable as refused:
        answer = {"refused": refused.reason}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _main()
