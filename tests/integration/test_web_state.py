"""The running page and its state database: moved aside, busy, or from another version."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.adapters.sqlite.state_store import StateStore
from sync.entry.web import create_app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def finished(client) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get("/sync/status").get_json()
        if status["state"] == "finished":
            return status
        time.sleep(0.05)
    raise AssertionError("the sync did not finish within 60 s")


def test_a_database_moved_aside_while_serving_is_recreated_and_health_recovers(backbone):
    client = create_app(backbone).test_client()
    client.post("/sync")
    assert finished(client)["result"] == "ok"
    state = Path(backbone.settings.state)
    state.write_bytes(b"this is not a database" * 100)  # damaged under the running service
    response = client.get("/health")
    assert response.status_code == 503 and response.get_json()["error"] == "state database unreadable"
    state.rename(state.with_name("damaged.sqlite3"))  # what the message advises
    assert client.get("/health").status_code == 200
    client.post("/sync")
    status = finished(client)
    assert status["result"] == "ok" and status["run_id"] == 1  # a fresh history, no restart
    body = client.get("/health").get_json()
    assert body["status"] == "ok" and body["last_run"]["id"] == 1


@pytest.mark.subprocess
def test_a_busy_database_makes_health_say_busy_within_the_bounded_wait(backbone):
    client = create_app(backbone).test_client()
    client.post("/sync")
    assert finished(client)["result"] == "ok"
    backbone.__dict__["state"] = StateStore(backbone.settings.state, busy_wait=0.3)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, backbone.settings.state], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        response = client.get("/health")
        assert time.monotonic() - started < 3
        assert response.status_code == 503 and response.get_json()["error"] == "state database busy"
        client.post("/sync")
        status = finished(client)
        assert status["result"] == "busy" and f"process {holder.pid}" in status["error"]
        assert "aside" not in status["error"]
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert client.get("/health").status_code == 200
