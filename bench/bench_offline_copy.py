"""The officer's offline copy: the bytes of a full copy, of a refresh when nothing
changed, and of a refresh after one contact. Not a test: prints figures.

    .venv/bin/python bench/bench_offline_copy.py                  # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench \\
        .venv/bin/python bench/bench_offline_copy.py              # PostgreSQL

Options: --students N (the seeded district, default 100,000), --officer EMAIL.

It asks for the list of kept pages as the phone does (GET /api/sync/offline-pages),
fetches every page on it (X-Offline-Copy: 1), then asks again with the list's ETag
(If-None-Match), and again after logging one contact. Bytes are the answers' status
line, headers and body, uncompressed and gzip-compressed (as a compressing proxy
would send them); the phone's request headers (about half a kilobyte each) are not
counted. Server time is inside the process (Flask test client).
"""
import argparse
import gzip
import os
import time

from common import bench_url, engine_name, ensure_seeded, logged_in, make_app, machine_load  # noqa: I100

from fieldapp.cases import contacts
from fieldapp.db import database
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Case, User

LIST = "/api/sync/offline-pages"


def size(response):
    """(uncompressed, gzip) bytes of an answer: status line, headers, body."""
    head = f"HTTP/1.1 {response.status}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.headers.items()) + "\r\n"
    body = response.get_data()
    return len(head) + len(body), len(head) + (len(gzip.compress(body)) if body else 0)


def fetch_list(client, etag=None):
    started = time.perf_counter()
    response = client.get(LIST, headers={"If-None-Match": etag} if etag else {})
    return response, time.perf_counter() - started


def fetch_pages(client, urls):
    total, packed = 0, 0
    for url in urls:
        plain, small = size(client.get(url, headers={"X-Offline-Copy": "1"}))
        total, packed = total + plain, packed + small
    return total, packed


def kib(n):
    return f"{n / 1024:,.1f} KiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--officer", default="officer@demo.fieldapp.test")
    args = parser.parse_args()
    app = make_app(bench_url(args.students))
    ensure_seeded(args.students)
    client, _ = logged_in(app, args.officer, DEMO_PASSWORD)
    first, took = fetch_list(client)
    body = first.get_json()
    pages = body["pages"]
    plain, packed = fetch_pages(client, pages)
    list_plain, list_packed = size(first)
    print(f"{engine_name()}, {args.students:,} students; {machine_load()}")
    print(f"kept for {args.officer}: {len(body['students'])} open cases of {body['open_cases']}, "
          f"{len(pages)} pages")
    print(f"full copy: {kib(plain + list_plain)} uncompressed, {kib(packed + list_packed)} gzip "
          f"(list {kib(list_plain)}, {took * 1000:.0f} ms server time)")
    again, took = fetch_list(client, first.headers["ETag"])
    print(f"refresh, nothing changed: {again.status_code}, {size(again)[0]:,} bytes, "
          f"{took * 1000:.0f} ms server time, no page fetched")
    with database.connection_context():  # one contact, as the desk or another phone logs it
        officer = User.get(User.email == args.officer)
        case = Case.get((Case.officer == officer) & (Case.status == "open"))
        clean, errors = contacts.validate_contact(
            {"method": "phone", "outcome": "voicemail", "notes": "Bench: between two refreshes."},
            officer)
        contacts.log_contact(officer, case, clean)
    changed, took = fetch_list(client, first.headers["ETag"])
    now = changed.get_json()["versions"]
    moved = [url for url in pages if now.get(url) != body["versions"].get(url)]
    moved_plain, moved_packed = fetch_pages(client, moved)
    print(f"refresh after one contact: {changed.status_code}, list {kib(size(changed)[0])}, "
          f"{len(moved)} pages fetched again ({kib(moved_plain)}, {kib(moved_packed)} gzip), "
          f"{took * 1000:.0f} ms server time")


if __name__ == "__main__":
    main()
