"""Lighthouse scores of the officer's pages on a phone profile: performance,
accessibility and best practices, against the budget of 95 (DESIGN.md section 6).

    .venv/bin/python bench/bench_lighthouse.py            # 6 pages x 3 runs, ~5 minutes
    .venv/bin/python bench/bench_lighthouse.py --only contacts --runs 1

Serves the app over HTTP on a throwaway SQLite demo district, logs in as the
demo officer and runs Lighthouse (installed into bench/node_modules on first
use) in Debian's Chromium with its default mobile emulation and throttling.
See bench/README.md.
"""
import argparse
import json
import logging
import os
import subprocess
import tempfile
import threading

from werkzeug.serving import make_server

from common import ROOT, ensure_seeded, logged_in, machine_load, make_app
from fieldapp.db import database
from fieldapp.demo.seed import DEMO_PASSWORD
from fieldapp.models import Case, Student, User, UserSchool

LIGHTHOUSE = "12.2.3"  # 13 needs Node 22
BENCH = os.path.join(ROOT, "bench")
CLI = os.path.join(BENCH, "node_modules", "lighthouse", "cli", "index.js")
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices")
BUDGET = 95
OFFICER = "officer@demo.fieldapp.test"
REPORTS = os.path.join(BENCH, "out", "lighthouse")


def install_lighthouse():
    """Lighthouse in bench/node_modules (git-ignored), at the pinned version; the
    rest of its tree (axe-core above all, whose rules make the accessibility score)
    as bench/package-lock.json has it."""
    manifest = os.path.join(BENCH, "node_modules", "lighthouse", "package.json")
    if os.path.exists(manifest):
        with open(manifest) as handle:
            if json.load(handle)["version"] == LIGHTHOUSE:
                return
    print(f"installing lighthouse {LIGHTHOUSE} into bench/node_modules", flush=True)
    subprocess.run(["npm", "i", "-E", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE}"],
                   cwd=BENCH, check=True, stdout=subprocess.DEVNULL)


def officer_pages():
    """The pages to score, logged in: an open case of the officer's schools for
    the student page and the contact form."""
    with database.connection_context():
        officer = User.get(User.email == OFFICER)
        schools = UserSchool.select(UserSchool.school).where(UserSchool.user == officer)
        case = (Case.select().join(Student)
                .where(Case.status == "open", Student.school.in_(schools))
                .order_by(Case.id).first())
    return [("/caseload", "caseload"), (f"/students/{case.student_id}", "student"),
            (f"/cases/{case.id}/contacts/new", "contact-form"), ("/worklist", "worklist"),
            ("/outbox", "outbox")]


def session_cookie(app):
    """The officer's session cookie, logged in through the real form."""
    client, _ = logged_in(app, OFFICER, DEMO_PASSWORD)
    cookie = client.get_cookie("session")
    return f"session={cookie.value}"


def serve(app):
    """The app on a real HTTP server on a free local port, in a thread."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url, cookie, report):
    """Run Lighthouse once on url; return its JSON result (also kept at report)."""
    command = ["node", CLI, url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-path={CHROME}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=CHROME))
    with open(report) as handle:
        return json.load(handle)


def failing(result):
    """Audits of the three categories that Lighthouse shows as not passed: those
    that count toward a score, and those it gives as advice only (weight 0)."""
    scored, advice = set(), set()
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if audit["score"] is not None and audit["score"] < 0.9 and \
                    audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings"):
                (scored if ref["weight"] else advice).add(ref["id"])
    return sorted(scored), sorted(advice - scored)


def scores(result):
    return {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}


def score_page(base, path, name, cookie, runs):
    """Print the scores of the run with the median performance (the one score that
    varies from run to run) and the audits it failed. Return whether all three meet
    the budget, and the ids of the failed audits."""
    results = []
    for run in range(runs):
        report = os.path.join(REPORTS, f"{name}-{run + 1}.json")
        results.append(lighthouse(base + path, cookie, report))
    results.sort(key=lambda r: r["categories"]["performance"]["score"])
    middle = results[len(results) // 2]
    figures = scores(middle)
    spread = ",".join(str(scores(r)["performance"]) for r in results)
    met = min(figures.values()) >= BUDGET
    marks = "  ".join(f"{c} {figures[c]:3d}" for c in CATEGORIES)
    scored, advice = failing(middle)
    print(f"{path:<22} {marks}  {'ok' if met else 'UNDER'}  (performance runs {spread})  "
          f"failing: {', '.join(scored) or '-'}  advice: {', '.join(advice) or '-'}", flush=True)
    return met, scored + advice


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300, help="size of the demo district")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--only", help="score only pages whose path contains this")
    args = parser.parse_args()
    install_lighthouse()
    os.makedirs(REPORTS, exist_ok=True)
    for old in os.listdir(REPORTS):  # a report left by an earlier run is not this run's
        os.remove(os.path.join(REPORTS, old))
    with tempfile.TemporaryDirectory() as scratch:
        app = make_app("sqlite:///" + os.path.join(scratch, "lighthouse.db"))
        ensure_seeded(args.students, say=lambda text: None)
        cookie = session_cookie(app)
        pages = [("/login", "login", None)] + [(p, n, cookie) for p, n in officer_pages()]
        server = serve(app)
        base = f"http://127.0.0.1:{server.server_port}"
        print(f"fieldapp bench_lighthouse · lighthouse {LIGHTHOUSE} · mobile · "
              f"{args.students:,} students · {machine_load()}", flush=True)
        try:
            outcomes = [score_page(base, path, name, sent, args.runs)
                        for path, name, sent in pages if not args.only or args.only in path]
        finally:
            server.shutdown()
    met = sum(ok for ok, _ in outcomes)
    print(f"{met} of {len(outcomes)} pages at or above {BUDGET} in all three; "
          f"reports in bench/out/lighthouse/")
    if any("uses-text-compression" in failed for _, failed in outcomes):
        print("uses-text-compression: Flask serves text uncompressed here; in production the "
              "compressing proxy in front of gunicorn compresses it (README, Production).")


if __name__ == "__main__":
    main()
