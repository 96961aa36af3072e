"""A real `backbone serve` on loopback under load a network can bring: idle half-sent connections and a
crowd of PDF downloads must not keep /health (or anyone) waiting. Bounded in count and in time."""
from __future__ import annotations

import base64
import json
import os
import select
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

from sync.entry.web.connections import PER_CLIENT, REQUEST_TIMEOUT
from sync.entry.web.serve import CHANNEL_TIMEOUT, CLEANUP_INTERVAL, CONNECTION_LIMIT

pytestmark = pytest.mark.subprocess  # every test runs `backbone serve`

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BACKBONE = Path(sys.executable).with_name("backbone")
IDLE_CONNECTIONS = 150
PDF_DOWNLOADS = 16
PASSWORD = "korrekt häst batteri"
# Stands in for LibreOffice where only its slowness matters: takes a second, writes a small PDF
# where `soffice --convert-to pdf --outdir DIR FILE.docx` would.
SLOW_SOFFICE = f"""#!{sys.executable}
import pathlib, sys, time
args = sys.argv[1:]
out, docx = pathlib.Path(args[args.index("--outdir") + 1]), pathlib.Path(args[-1])
time.sleep(1)
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
    """Behind a reverse proxy on this machine, listed as one (docs/deployment.md)."""
    yield from launch(example, {"BACKBONE_WEB_PASSWORD": PASSWORD, "BACKBONE_TRUSTED_PROXIES": "127.0.0.1"})


@pytest.fixture
def served_without_a_proxy(example):
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


def connect(url: str, source: str) -> socket.socket:
    """A connection to the served page from `source`, another loopback address (Linux answers all of 127/8), so a
    crowd from one address can be told from the visitor at 127.0.0.1."""
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5, source_address=(source, 0))


def closed_by_server(connection: socket.socket, wait: float) -> bool:
    if not select.select([connection], [], [], wait)[0]:
        return False
    try:
        return connection.recv(1024) == b""
    except ConnectionResetError:
        return True


def trickles(connection: socket.socket) -> bool:
    """One more header line; False when the server has closed the connection."""
    try:
        connection.sendall(b"X-Trickle: 1\r\n")
    except (BrokenPipeError, ConnectionResetError):
        return False
    return True


def test_idle_and_half_sent_connections_neither_lock_out_health_nor_stay_open(served):
    idle = []
    try:
        for number in range(IDLE_CONNECTIONS):  # from three addresses: fewer than PER_CLIENT each
            connection = connect(served, f"127.0.0.{2 + number % 3}")
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


def test_one_address_holding_more_connections_than_the_server_takes_keeps_nobody_out(served):
    """The slow-loris crowd: more half-sent requests from one address than waitress takes connections. The address
    keeps PER_CLIENT of them; the rest are closed at once, and another visitor is answered."""
    crowd = []
    try:
        for _ in range(CONNECTION_LIMIT + 100):
            connection = connect(served, "127.0.0.9")
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # and one header line every few seconds
            crowd.append(connection)
        with urllib.request.urlopen(served + "/health", timeout=10) as response:  # from 127.0.0.1
            assert response.status == 200
        still_open = [c for c in crowd if trickles(c) and not closed_by_server(c, 0.01)]
        assert 0 < len(still_open) <= PER_CLIENT
    finally:
        for connection in crowd:
            connection.close()


def test_a_request_trickled_a_line_at_a_time_is_closed_after_the_request_limit(served):
    """A header line every 2 s never lets the idle timeout (CHANNEL_TIMEOUT) strike; the whole-request limit does."""
    connection = connect(served, "127.0.0.10")
    try:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        lines = 0
        while not closed_by_server(connection, 2.0):
            lines += 1
            assert lines * 2.0 < REQUEST_TIMEOUT + 4 * CLEANUP_INTERVAL + 10, "still open well after the request limit"
            try:
                connection.sendall(b"X-Trickle: %d\r\n" % lines)
            except (BrokenPipeError, ConnectionResetError):
                break
        assert lines * 2.0 >= CHANNEL_TIMEOUT  # it outlived the idle timeout: the request limit closed it
        with urllib.request.urlopen(served + "/health", timeout=10) as response:
            assert response.status == 200
    finally:
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


def test_without_a_listed_proxy_a_rotating_forwarded_address_gains_nothing(served_without_a_proxy):
    answers = [get(served_without_a_proxy, f"guess {n}", f"203.0.113.{n}") for n in range(30)]
    assert answers == [401] * 6 + [429] * 24  # one client, the peer, however X-Forwarded-For rotates
    assert get(served_without_a_proxy, PASSWORD, "198.51.100.4") == 429
