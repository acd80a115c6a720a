"""A command-line progress bar ends at its total when its step is done."""
import os
import re
import sys
import threading
import zipfile

from flask.cli import ScriptInfo

from fieldapp.imports.oneroster import import_oneroster

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


def on_a_terminal(app, monkeypatch, args):
    """What the command draws on a terminal's standard error (click draws
    bars only on a terminal), run in this process."""
    master, slave = os.openpty()
    terminal = open(slave, "w", encoding="utf-8", buffering=1)
    drawn = []

    def read():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.append(chunk)
    reader = threading.Thread(target=read)
    reader.start()
    monkeypatch.setattr(sys, "stderr", terminal)
    try:
        app.cli.main(args=args, obj=ScriptInfo(create_app=lambda: app), standalone_mode=False)
    except SystemExit:
        pass
    finally:
        monkeypatch.undo()
        terminal.close()
        reader.join(10)
        os.close(master)
    return b"".join(drawn).decode("utf-8", "replace")


def test_the_import_bar_reaches_the_files_size_before_counting(app, monkeypatch, tmp_path):
    assert import_oneroster(os.path.join(DATA, "oneroster-bulk"), "roster").applied
    rows = ["studentUniqueId,schoolId,eventDate,attendanceEventCategoryDescriptor,minutesAbsent,reason"]
    rows += [f"1001,sch-100,2025-09-02,Tardy,{n % 300 + 1},{'Bus late ' * 20}" for n in range(1500)]
    path = tmp_path / "attendance.csv"
    path.write_text("\n".join(rows) + "\n")
    size = -(-path.stat().st_size // 1024)
    drawn = on_a_terminal(app, monkeypatch, ["import-attendance", str(path), "--dry-run"])
    shown = [int(done) for done, total in re.findall(r"(\d+)/(\d+)", drawn) if int(total) == size]
    assert shown and max(shown) == size, drawn[-500:]
    assert "Counting what applying it would change" in drawn


def test_every_bar_of_seed_demo_ends_full(app, monkeypatch):
    drawn = on_a_terminal(app, monkeypatch, ["seed-demo", "--students", "400"])
    last = {}
    for label, done, total in re.findall(r"([A-Z][a-z ,]+?)\s+\[[^\]]*\]\s+(\d+)/(\d+)", drawn):
        last[label] = (int(done), int(total))
    assert "Making letters, conferences and plans" in last, drawn[-800:]
    assert {label: done for label, (done, _) in last.items()} == {
        label: total for label, (_, total) in last.items()}


def test_a_zip_whose_other_members_are_not_read_still_ends_its_bar_full(app, monkeypatch, tmp_path):
    path = tmp_path / "district.zip"
    folder = os.path.join(DATA, "oneroster-bulk")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name in os.listdir(folder):
            z.write(os.path.join(folder, name), name)
        z.writestr("photos/readme.bin", os.urandom(200_000))  # not a roster file: never read
    size = -(-path.stat().st_size // 1024)
    drawn = on_a_terminal(app, monkeypatch, ["import-oneroster", str(path), "--dry-run"])
    shown = [int(done) for done, total in re.findall(r"(\d+)/(\d+)", drawn) if int(total) == size]
    assert shown and max(shown) == size, drawn[-500:]
    assert "Counting what applying it would change" in drawn
