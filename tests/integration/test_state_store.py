"""The state database on a real SQLite file: busy is not damaged, a foreign layout is refused before the
sheet is touched, a file moved aside is started afresh, and the file modes people's data deserves."""
from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.adapters.sqlite.state_store import StateStore
from sync.bootstrap import Backbone
from sync.core import i18n
from sync.core.errors import BusyError, ConfigError
from sync.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
RUN = {"started": "2024-05-02 02:00:00", "ended": "2024-05-02 02:00:03", "result": "ok", "new": 2}
# Holds an exclusive lock on the database until its stdin closes, as an sqlite3 shell in a transaction would.
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


def make_backbone(folder: Path, **overrides) -> Backbone:
    return Backbone(dataclasses.replace(load_settings(folder / "settings.env", environ={}), **overrides))


@pytest.fixture
def holder(tmp_path):
    """Start a process holding the database at `path` exclusively; it ends when the test does."""
    started: list[subprocess.Popen] = []

    def hold(path: Path) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout.readline().strip() == "locked"
        return process

    yield hold
    for process in started:
        process.stdin.close()
        process.wait(10)


@pytest.mark.subprocess
def test_a_busy_database_is_named_busy_after_a_bounded_wait_and_stays_intact(tmp_path, holder):
    store = StateStore(tmp_path / "state.sqlite3", busy_wait=0.3)
    first = store.record_run(RUN)
    process = holder(store.path)
    started = time.monotonic()
    with pytest.raises(BusyError) as caught:
        store.record_run(RUN)
    waited = time.monotonic() - started
    message = str(caught.value)
    assert 0.3 <= waited < 5
    assert "tillståndsdatabasen är upptagen" in message and f"hållits av process {process.pid} (" in message
    assert str(store.path) in message and "är skadad" not in message and "flytta undan" not in message
    process.stdin.close()
    process.wait(10)
    assert [run.id for run in store.runs()] == [first]  # nothing lost, nothing half-written
    assert store.record_run(RUN) == first + 1


def test_a_database_from_another_version_is_refused_before_the_sheet_is_written(example):
    backbone = make_backbone(example)
    backbone.sync()
    workbook = example / "plan.xlsx"
    before = workbook.read_bytes()
    with sqlite3.connect(backbone.settings.state) as db:
        db.execute("ALTER TABLE runs DROP COLUMN details")
    with pytest.raises(ConfigError) as caught:
        make_backbone(example).sync()
    assert "skapades av en annan version av backbone (tabellen runs har ingen kolumn details)" in str(caught.value)
    assert workbook.read_bytes() == before

    with sqlite3.connect(backbone.settings.state) as db:
        db.execute("ALTER TABLE runs ADD COLUMN details TEXT NOT NULL DEFAULT '{}'")
        db.execute("PRAGMA user_version = 9")
    with pytest.raises(ConfigError, match=r"layout 9; den här versionen av backbone känner till layout 1"):
        make_backbone(example).sync()
    with i18n.speaking("en"), pytest.raises(ConfigError, match=r"made by another version of backbone \(layout 9; this "
                                            r"backbone knows layout 1\); nothing was written"):
        make_backbone(example).sync()
    assert workbook.read_bytes() == before


def test_a_database_moved_aside_is_started_afresh_by_the_same_store(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3")
    store.record_run(RUN)
    store.path.rename(tmp_path / "state.sqlite3.old")
    assert store.runs() == []
    assert store.record_run(RUN) == 1
    assert store.load_base("xlsx:plan") == {}


def test_the_database_is_private_and_an_old_open_one_is_tightened(tmp_path):
    old_umask = os.umask(0o022)
    try:
        store = StateStore(tmp_path / "var" / "state.sqlite3")
        store.record_run(RUN)
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
        os.chmod(store.path, 0o644)  # as versions before this one left it
        store.runs()
        assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)


@pytest.mark.parametrize("umask, expected", [(0o002, 0o664), (0o077, 0o600)])
def test_recaps_follow_the_umask(example, umask, expected):
    backbone = make_backbone(example)
    old_umask = os.umask(umask)
    try:
        first = backbone.report("ci2", out=example / "reports")
        os.chmod(first.docx, 0o600)  # a recap left private by an earlier version is not kept so
        files = backbone.report("ci2", out=example / "reports")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(files.docx.stat().st_mode) == expected


@pytest.mark.libreoffice
@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed here")
def test_a_pdf_recap_follows_the_umask(example):
    old_umask = os.umask(0o002)
    try:
        files = make_backbone(example).report("ci2", out=example / "reports", pdf=True)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(files.pdf.stat().st_mode) == 0o664


@pytest.mark.subprocess
def test_backbone_sync_on_a_busy_database_says_busy_in_one_line_and_leaves_the_sheet(example, holder):
    backbone = Path(sys.executable).with_name("backbone")
    env = {key: value for key, value in os.environ.items() if not key.startswith("BACKBONE_")}
    assert subprocess.run([str(backbone), "sync"], cwd=example, env=env, capture_output=True, timeout=120).returncode == 0
    before = (example / "plan.xlsx").read_bytes()
    process = holder(example / "var" / "backbone.sqlite3")
    done = subprocess.run([str(backbone), "sync"], cwd=example, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("backbone:")]
    assert len(errors) == 1 and "Traceback" not in done.stderr
    assert "tillståndsdatabasen är upptagen: den har hållits av process" in errors[0]
    assert f"process {process.pid} (" in errors[0] and "flytta undan" not in errors[0]
    assert (example / "plan.xlsx").read_bytes() == before


SYNC_HOLDER = """
import sqlite3, sys
from sync.adapters.sqlite.state_store import StateStore
with StateStore(sys.argv[1]).sync_lock("started 2024-05-02 02:00:00"):
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.subprocess
def test_a_database_held_by_another_sync_names_that_sync(tmp_path):
    store = StateStore(tmp_path / "state.sqlite3", busy_wait=0.2)
    store.record_run(RUN)
    process = subprocess.Popen([sys.executable, "-c", SYNC_HOLDER, str(store.path)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "locked"
        with pytest.raises(BusyError, match=rf"upptagen: en synk \(started 2024-05-02 02:00:00, process {process.pid}\) "
                                             r"har hållit den i mer än 0.2 s"):
            store.runs()
        with i18n.speaking("en"), pytest.raises(BusyError, match=rf"busy: held by a sync \(started 2024-05-02 02:00:00, "
                                                                 rf"process {process.pid}\) for more than 0.2 s"):
            store.runs()
    finally:
        process.stdin.close()
        process.wait(10)


def test_a_full_disk_is_named_full_not_damaged_and_the_database_is_unchanged(tmp_path, monkeypatch):
    from sync.core.errors import ServiceError
    store = StateStore(tmp_path / "state.sqlite3")
    store.record_run(RUN)
    before = store.path.read_bytes()
    real_connect = sqlite3.connect

    def connect_to_a_full_disk(*args, **kwargs):  # SQLite's own SQLITE_FULL, as when the disk has no room left
        db = real_connect(*args, **kwargs)
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db
    monkeypatch.setattr(sqlite3, "connect", connect_to_a_full_disk)
    big = {"x" * 50: "y" * 200_000}
    with pytest.raises(ServiceError) as caught:
        store.record_run({**RUN, "details": big})
    assert "disken med tillståndsdatabasen är full" in str(caught.value) and "flytta" not in str(caught.value)
    monkeypatch.undo()
    assert store.path.read_bytes() == before and [r.new for r in store.runs()] == [2]


def test_a_busy_message_says_who_holds_the_database_in_a_whole_sentence(tmp_path):
    import fcntl

    from sync.adapters.sqlite.state_db import busy_message
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"")
    assert busy_message(path, 2.0) == (f"{path}: tillståndsdatabasen är upptagen: ett annat program har hållit den i mer "
                                       "än 2 s; den är inte skadad — försök igen när programmet är klart")
    with open(tmp_path / "state.sqlite3.lock", "w", encoding="utf-8") as lock:  # a sync that wrote nothing there
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert busy_message(path, 2.0).startswith(f"{path}: tillståndsdatabasen är upptagen: en synk har hållit den i mer än 2 s")
        with i18n.speaking("en"):
            assert busy_message(path, 2.0).startswith(f"{path}: the state database is busy: held by a sync for more than 2 s")


def test_intents_are_kept_per_sheet_until_cleared_and_an_older_database_gets_the_table(tmp_path):
    from sync.ports import LAYOUT, Intent

    path = tmp_path / "state.sqlite3"
    db = sqlite3.connect(path)  # a database made before the intent log: no intents table
    db.executescript("CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, ended TEXT NOT NULL,"
                     " result TEXT NOT NULL, new INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0,"
                     " removed INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0,"
                     " message TEXT NOT NULL DEFAULT '', details TEXT NOT NULL DEFAULT '{}');"
                     "INSERT INTO runs (started, ended, result) VALUES ('2024-05-02 02:00:00', '2024-05-02 02:00:03', 'ok');")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = StateStore(path)
    intents = [Intent("Idéer", 5, "n1", 4, "Text", "Läxhjälp", "Läxa", False), Intent("Idéer", 4, "n0", LAYOUT)]
    store.record_intents("gsheet:a", intents)
    store.record_intents("gsheet:b", intents[:1])
    assert store.open_intents("gsheet:a") == intents and len(store.runs()) == 1
    store.clear_intents("gsheet:a")
    assert store.open_intents("gsheet:a") == [] and store.open_intents("gsheet:b") == intents[:1]


def test_the_merge_base_is_read_from_one_index_and_a_database_made_before_it_gets_it(tmp_path):
    path = tmp_path / "state.sqlite3"
    db = sqlite3.connect(path)  # as an earlier version made it: the base table and its primary key only
    db.executescript("CREATE TABLE base (sheet TEXT NOT NULL, tab TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL,"
                     " value TEXT NOT NULL, PRIMARY KEY (sheet, tab, row_id, col));"
                     "INSERT INTO base VALUES ('xlsx:/plan.xlsx', 'ideas', 'n1', 'text', 'Läxhjälp för alla åldrar');")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = StateStore(path)
    assert store.load_base("xlsx:/plan.xlsx") == {("ideas", "n1", "text"): "Läxhjälp för alla åldrar"}
    with sqlite3.connect(path) as db:
        plan = " ".join(row[-1] for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT tab, row_id, col, value FROM base WHERE sheet = ?", ("xlsx:/plan.xlsx",)))
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1  # no new layout: older versions still open it
    assert "COVERING INDEX base_values" in plan  # the whole base from the index, without a lookup per row
