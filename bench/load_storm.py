"""The 8 a.m. storm for bench/bench_load.py (run by it): PHONES phones, each
logged in as its own officer, each sending ENTRIES queued contacts in one
sync at a random moment within WINDOW seconds, each from its own address
behind a proxy the server trusts (as phones reach a district's server). Writes every phone's answer
time, status and counts, and the UUIDs sent, to STORM_OUT."""
import json
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load_entries import CSRF, entries  # noqa: E402

PLAN = json.load(open(os.environ["LOAD_PLAN"], encoding="utf-8"))
HOST = os.environ["LOAD_HOST"]
PHONES, ENTRIES, WINDOW = (int(os.environ[k]) for k in ("PHONES", "ENTRIES", "WINDOW"))


def address(i):
    """Phone i's own address, as the district's proxy passes it on (X-Forwarded-For):
    300 phones are 300 clients, not one that logs in 300 times a minute."""
    return f"10.8.{i // 250}.{i % 250 + 1}"


def log_in(numbered):
    i, person = numbered
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address(i)
    token = CSRF.search(session.get(f"{HOST}/login", timeout=60).text).group(1)
    session.post(f"{HOST}/login", data={"email": person["email"], "password": PLAN["password"],
                                        "csrf_token": token}, allow_redirects=False, timeout=60)
    info = session.get(f"{HOST}/api/sync/session", timeout=60).json()
    return session, info["csrf_token"]


def main():
    people = PLAN["people"]["phone"][:PHONES]
    started = time.time()
    with ThreadPoolExecutor(8) as pool:  # logging in is not part of the storm
        sessions = list(pool.map(log_in, enumerate(people)))
    print(f"  {len(sessions)} phones logged in ({time.time() - started:.0f} s, not timed)", flush=True)
    rng = random.Random(8)
    batches = [entries(p, PLAN["cases"][str(p["school"])], ENTRIES) for p in people]
    results = [None] * len(people)
    go = time.time() + 1

    def phone(i):
        time.sleep(max(0.0, go + rng.uniform(0, WINDOW) - time.time()))
        session, token = sessions[i]
        body = {"device": {"id": f"storm-phone-{i:03d}", "pending": ENTRIES}, "entries": batches[i]}
        sent = time.time()
        try:
            answer = session.post(f"{HOST}/api/sync", json=body, headers={"X-CSRFToken": token}, timeout=300)
            counts = answer.json().get("counts", {}) if answer.status_code == 200 else {}
            results[i] = {"sent": sent - go, "seconds": time.time() - sent, "status": answer.status_code,
                          "counts": counts}
        except requests.RequestException as error:
            results[i] = {"sent": sent - go, "seconds": time.time() - sent, "status": 0, "error": str(error)}

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    finished = max(r["sent"] + r["seconds"] for r in results)
    with open(os.environ["STORM_OUT"], "w", encoding="utf-8") as out:
        json.dump({"results": results, "finished": finished,
                   "uuids": [e["uuid"] for batch in batches for e in batch]}, out)


if __name__ == "__main__":
    main()
