"""A real `backbone serve` on loopback under load a network can bring: idle half-sent connections and a
crowd of PDF downloads must not keep /health (or anyone) waiting. Bounded in count and in time."""
from __future__ import annotations

import base64
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sync.web.serve import CHANNEL_TIMEOUT, CLEANUP_INTERVAL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BACKBONE = Path(sys.executable).with_name("backbone")
IDLE_CONNECTIONS = 150
PDF_DOWNLOADS = 16
PASSWORD = "korrekt häst batteri"
# Stands in for LibreOffice where only its slowness matters: takes two seconds, writes a small PDF
# where `soffice --convert-to pdf --outdir DIR FILE.docx` would.
SLOW_SOFFICE = f"""#!{sys.executable}
import pathlib, sys, time
args = sys.argv[1:]
out, docx = pathlib.Path(args[args.index("--outdir") + 1]), pathlib.Path(args[-1])
time.sleep(2)
(out / (docx.stem + ".pdf")).write_bytes(b"%PDF-1.4\\n1 0 obj <<>> endobj\\ntrailer <<>>\\n%%EOF\\n")
"""


def read_line(process: subprocess.Popen, timeout: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    if not selector.select(timeout=timeout):
        raise AssertionError(f"no output within {timeout} s")
    return process.stderr.readline()


@pytest.fixture
def served(example, tmp_path):
    """`backbone serve` on a free loopback port, with LibreOffice replaced by the slow stand-in; its URL."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text(SLOW_SOFFICE)
    (bin_dir / "soffice").chmod(0o755)
    yield from launch(example, {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"})


@pytest.fixture
def served_with_password(example):
    yield from launch(example, {"BACKBONE_WEB_PASSWORD": PASSWORD})


def launch(example: Path, settings: dict[str, str]):
    env = {key: value for key, value in os.environ.items() if not key.startswith("BACKBONE_")}
    env.update(settings)
    process = subprocess.Popen([str(BACKBONE), "serve", "--port", "0", "--log-json"], cwd=example, env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        started = json.loads(read_line(process, timeout=60))
        # the log is not read from here on: drain it so the server never blocks on a full pipe
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield started["url"]
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def timed_health(url: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(url + "/health", timeout=10) as response:
        assert response.status == 200
    return time.monotonic() - started


def test_idle_and_half_sent_connections_neither_lock_out_health_nor_stay_open(served):
    host, port = served.removeprefix("http://").split(":")
    idle = []
    try:
        for number in range(IDLE_CONNECTIONS):
            connection = socket.create_connection((host, int(port)), timeout=5)
            if number % 2:  # half of them start a request and never send the blank line that ends it
                connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            idle.append(connection)
        assert timed_health(served) < 1.0
        # each idle connection is closed by the server, not held until the client gives up
        deadline = time.monotonic() + CHANNEL_TIMEOUT + 2 * CLEANUP_INTERVAL + 5
        for connection in idle:
            connection.settimeout(max(0.1, deadline - time.monotonic()))
            assert connection.recv(1024) == b""  # end of stream: closed by the server
        assert timed_health(served) < 1.0
    finally:
        for connection in idle:
            connection.close()


def test_health_answers_within_a_second_during_sixteen_pdf_downloads(served):
    def download(_):
        with urllib.request.urlopen(served + "/workshops/ci2/report.pdf", timeout=120) as response:
            return response.status, response.read()[:5]

    with ThreadPoolExecutor(PDF_DOWNLOADS) as pool:
        downloads = [pool.submit(download, n) for n in range(PDF_DOWNLOADS)]
        time.sleep(1.0)  # every download sent, the first conversions running, the rest in line
        latencies = []
        while not all(d.done() for d in downloads) and len(latencies) < 20:
            latencies.append(timed_health(served))
            time.sleep(0.5)
        results = [d.result() for d in downloads]
    assert len(latencies) >= 5 and max(latencies) < 1.0
    assert results == [(200, b"%PDF-")] * PDF_DOWNLOADS


def get(url: str, password: str, forwarded_for: str | None = None) -> int:
    token = base64.b64encode(f"anna:{password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", **({"X-Forwarded-For": forwarded_for} if forwarded_for else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "/sync/status", headers=headers), timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_guessing_through_the_proxy_is_counted_per_forwarded_visitor(served_with_password):
    attacker = "203.0.113.9"
    assert [get(served_with_password, f"guess {n}", attacker) for n in range(6)] == [401] * 6
    assert [get(served_with_password, f"guess {n}", attacker) for n in range(6, 50)] == [429] * 44
    assert get(served_with_password, PASSWORD, attacker) == 429
    assert get(served_with_password, PASSWORD, "198.51.100.4") == 200  # another visitor behind the same proxy
    assert get(served_with_password, PASSWORD) == 200  # the machine itself
