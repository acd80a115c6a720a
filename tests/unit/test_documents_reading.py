"""An uploaded PDF is read within a budget: pages, decompressed content, time."""
import io
import time

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from fieldapp.documents.reading import Budget, Unreadable, read_text


def blank_pdf(pages):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def inflating_pdf(megabytes):
    """One page whose content stream is small compressed and `megabytes` of
    text operators once decompressed."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 1 Tf (a) Tj ET\n" * (megabytes * 1024 * 1024 // 22))
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_small_pdf_is_read_page_by_page():
    assert read_text(blank_pdf(3)) == ["", "", ""]


def test_more_pages_than_any_document_is_refused():
    with pytest.raises(Unreadable) as refused:
        read_text(blank_pdf(50), Budget(pages=20))
    assert refused.value.reason == "pages"


def test_a_stream_that_inflates_past_the_budget_is_refused_quickly():
    bomb = inflating_pdf(40)
    assert len(bomb) < 200_000  # tens of megabytes of content in a small upload
    started = time.process_time(), time.perf_counter()
    with pytest.raises(Unreadable) as refused:
        read_text(bomb)
    assert refused.value.reason in ("size", "time")
    # The child did the work; this process spent next to nothing.
    assert time.process_time() - started[0] < 1


def test_reading_stops_at_the_time_limit():
    with pytest.raises(Unreadable) as refused:
        read_text(inflating_pdf(3), Budget(stream_bytes=10**9, content_bytes=10**10, cpu_seconds=1))
    assert refused.value.reason == "time"


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.4 nonsense", b"%PDF-" + b"\xff" * 1000])
def test_what_is_not_a_pdf_is_broken(data):
    with pytest.raises(Unreadable) as refused:
        read_text(data)
    assert refused.value.reason == "broken"
