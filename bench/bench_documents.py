"""Time to produce a case report with 200 contacts (budget 3 s), a single
letter (budget 0.5 s) and the day's batch of 100 letters (reported), from the
record to the stored PDF, on a fresh database. Names and notes come in the
scripts families write (Chinese, Burmese, Amharic, Hindi, Korean, Arabic,
Vietnamese), so the figures include the fonts that print them.

    .venv/bin/python bench/bench_documents.py                 # SQLite, bench/out/
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/fieldapp_bench_docs \\
        .venv/bin/python bench/bench_documents.py             # PostgreSQL (an empty database)

Each figure covers gathering the facts, fingerprinting, WeasyPrint, storing the
PDF and the access-log line: what an officer waits for after pressing the button.
"""
import argparse
import datetime
import os
import random
import statistics
import time
import uuid

from common import OUT, SECRET, database
from fieldapp import codes, create_app
from fieldapp.db import migrate
from fieldapp.rules.settings import RuleSettings

REPORT_BUDGET, LETTER_BUDGET = 3.0, 0.5
NOTES = ("Spoke with mother at the door; the bus route changed and the student missed the early bus.",
         "No answer; left a voicemail in Spanish asking for a call back.",
         "Student says mornings are hard; agreed on an alarm and a check-in with the counselor.",
         "Grandmother answered; the family is staying with relatives since the move.",
         "王秀英说早上没有校车。", "မိခင်သည် နံနက်စောစော အလုပ်လုပ်သည်။", "እናትየዋ በጠዋት ትሰራለች።",
         "माँ सुबह जल्दी काम करती है।", "어머니는 아침 일찍 일합니다.", "الأم تعمل في الصباح الباكر.",
         "Bà Nguyễn Thị Hương nói xe buýt đến sớm.")
BATCH = 100
FAMILY_NAMES = (("秀英", "王"), ("Aung", "ဦးမောင်"), ("Zewditu", "ዘውዲቱ"), ("Priya", "शर्मा"),
                ("Minji", "김"), ("Layla", "حداد"), ("Hương", "Nguyễn"), ("Ana", "García"))


def build_batch(officer, school, size=BATCH):
    """size families at the conference stage, each owed the invitation (its stage's letter)."""
    from tests import factories
    for n in range(size):
        first, last = FAMILY_NAMES[n % len(FAMILY_NAMES)]
        student = factories.gen_student(school, first=f"{first}{n}", last=last)
        factories.gen_guardian([student], first=first, last=last,
                               preferred_language="es" if n % 2 else "en")
        factories.gen_case(student, officer, stage="conference")


def build_case(contacts=200, seed=2026):
    """A student whose case has `contacts` contacts (some corrected), attendance, letters and a plan."""
    from fieldapp.cases import contacts as logging
    from fieldapp.documents import letters, plans
    from fieldapp.models import AttendanceEvent, utcnow
    from fieldapp.timefmt import local_today, to_local
    from tests import factories
    from tests.documents_support import signature_data_url
    rng = random.Random(seed)
    school = factories.gen_school("Lincoln Elementary")
    officer = factories.gen_user("officer", [school], name="Dana Ortiz")
    student = factories.gen_student(school)
    factories.gen_guardian([student], preferred_language="es")
    case = factories.gen_case(student, officer, stage="first_notice")
    today = local_today()
    AttendanceEvent.insert_many([
        {"student": student.id, "school": school.id, "date": today - datetime.timedelta(days=d),
         "category": rng.choice(("present", "present", "unexcused", "excused", "tardy")),
         "minutes": rng.choice((0, 20, 45))} for d in range(1, 170) if (today - datetime.timedelta(days=d)).weekday() < 5
    ]).execute()
    now = to_local(utcnow())
    logged = []
    for index in range(contacts):
        when = now - datetime.timedelta(days=180 * (contacts - index) / contacts, minutes=rng.randint(0, 600))
        method = rng.choice(("home_visit", "phone", "text", "conference"))
        form = factories.contact_form(
            method=method, outcome=rng.choice(codes.METHOD_OUTCOMES[method]),
            reasons=rng.sample(("transportation", "illness", "housing", "work"), 2),
            notes=rng.choice(NOTES), occurred_at=when.strftime("%Y-%m-%dT%H:%M"))
        clean, errors = logging.validate_contact(form, officer)
        assert not errors, errors
        amends = logged[-1] if index % 20 == 19 else None
        contact, _ = logging.log_contact(officer, case, clean, uuid.uuid4(), amends=amends,
                                         amendment_reason="Corrected the outcome." if amends else "")
        logged.append(contact)
    letters.generate_letter(officer, case, letters.default_choice(case), RuleSettings())
    plan = plans.save_plan(officer, case, {"barriers": "Transportation.", "goals": "Attend daily.",
                                           "barriers_translated": "Transporte.", "goals_translated": "Asistir a diario.",
                                           "translation_language": "es", "translated_by": "Lucía Romero",
                                           "translator": "interpreter",
                                           "review_on": (today + datetime.timedelta(days=30)).isoformat()})
    plans.record_signature(officer, plan, {"role": "guardian", "status": "signed", "signer_name": "Ana García",
                                           "image": signature_data_url()})
    return officer, case


def timings(make, runs):
    """(wall seconds, CPU seconds of this process, last result) of runs calls."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = make()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu, result


def report(name, wall, cpu, budget, detail):
    """Print the figures; the budget is judged on wall time (what a person waits)."""
    median = statistics.median(wall)
    verdict = "within" if median <= budget else "OVER"
    print(f"{name:15} wall median {median:6.3f} s, max {max(wall):6.3f} s; CPU median "
          f"{statistics.median(cpu):6.3f} s ({len(wall)} runs; budget {budget} s: {verdict}) {detail}")
    return median <= budget


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.makedirs(OUT, exist_ok=True)
        path = os.path.join(OUT, "fieldapp-bench-documents.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        url = "sqlite:///" + path
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "ENV_MODE": "test"})
    from fieldapp.documents import case_report, letters
    from fieldapp.models import Case
    with app.app_context(), database.connection_context():
        migrate()
        if Case.select().exists():
            raise SystemExit("Give an empty database: the bench builds its own case.")
        officer, case = build_case(args.contacts)
        print(f"{'postgresql' if 'postgres' in url else 'sqlite'}: case with {case.contacts.count()} contacts")
        case_report.produce_case_report(officer, case, "CA")  # warm up fonts and templates
        wall, cpu, record = timings(lambda: case_report.produce_case_report(officer, case, "CA"), args.runs)
        ok = report("case report", wall, cpu, REPORT_BUDGET,
                    f"{record.page_count} pages, {len(bytes(record.pdf)) / 1024:.0f} KB")
        wall, cpu, letter = timings(lambda: letters.generate_letter(
            officer, case, letters.default_choice(case), RuleSettings()), args.runs * 2)
        ok &= report("single letter", wall, cpu, LETTER_BUDGET,
                     f"{letter.document.page_count} page, {len(bytes(letter.document.pdf)) / 1024:.0f} KB")
        from fieldapp.documents import letters_due
        from fieldapp.rules.settings import from_config
        build_batch(officer, case.school)
        settings = from_config({"STATE": "CA"})
        wall, cpu, (batch, made) = timings(
            lambda: letters_due.print_due_letters(officer, case.school, settings), 1)
        report("batch of 100", wall, cpu, float("inf"),
               f"{len(made)} letters, {batch.page_count} pages, {len(bytes(batch.pdf)) / 1024:.0f} KB "
               f"(no budget: a background job)")
    # Other work on the machine inflates wall time, not CPU time: say how busy it was.
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
