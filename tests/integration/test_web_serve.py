"""`backbone serve`: where it agrees to listen, how it starts, answers and stops."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from sync.bootstrap import Backbone
from sync.core import i18n
from sync.core.errors import ConfigError
from sync.entry.web.serve import WebService, check_listen_address, check_password, is_loopback, serve
from sync.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "biskopsgarden"
BACKBONE = Path(sys.executable).with_name("backbone")


@pytest.fixture(autouse=True)
def restore_logging():
    """serve() takes over the root logger's handlers, as a service should; give them back to pytest."""
    root, web = logging.getLogger(), logging.getLogger("sync.entry.web")
    handlers, level, web_level = list(root.handlers), root.level, web.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    web.setLevel(web_level)


def make_backbone(folder: Path, **overrides) -> Backbone:
    return Backbone(dataclasses.replace(load_settings(folder / "settings.env", environ={}), **overrides))


def clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("BACKBONE_")}


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("LOCALHOST", True), ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.20", False),
    ("example.org", False)])
def test_which_addresses_are_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_password_allows_other_addresses():
    check_listen_address("0.0.0.0", "a password")
    check_listen_address("127.0.0.1", "")


def test_the_start_checks_speak_english_too():
    with i18n.speaking("en"), pytest.raises(ConfigError, match="^refusing to listen on every address without a password"):
        check_listen_address("", "")
    with i18n.speaking("en"), pytest.raises(ConfigError, match=r"^BACKBONE_WEB_PASSWORD is too short \(1 character\)"):
        check_password("x")
    with pytest.raises(ConfigError, match=r"^BACKBONE_WEB_PASSWORD är för kort \(1 tecken\)"):
        check_password("x")


def test_serve_refuses_every_address_without_a_password(example, capsys):
    assert serve(make_backbone(example), host="0.0.0.0", port=0) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("backbone: fel: vägrar lyssna på 0.0.0.0 utan lösenord")
    assert "BACKBONE_WEB_PASSWORD" in lines[0]


def test_serve_refuses_an_invalid_schedule(example, capsys):
    assert serve(make_backbone(example, schedule="every night"), port=0) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("backbone: fel: BACKBONE_SCHEDULE='every night' är inget cron-schema") and "\n" not in err


def test_serve_explains_a_port_in_use(example, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(make_backbone(example), host="127.0.0.1", port=port) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"backbone: fel: kan inte lyssna på 127.0.0.1:{port} (") and "\n" not in err


@pytest.mark.subprocess
def test_the_command_refuses_0_0_0_0_without_a_password(example):
    done = subprocess.run([str(BACKBONE), "serve", "--host", "0.0.0.0", "--port", "0"], cwd=example,
                          env=clean_environment(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "vägrar lyssna på 0.0.0.0 utan lösenord" in done.stderr


def test_the_service_serves_on_port_0_and_stops_from_another_thread(example):
    service = WebService(make_backbone(example), "127.0.0.1", 0)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(service.url + "/health", timeout=10) as response:
            body = json.load(response)
        assert body["status"] == "ok" and body["next_run"].endswith(("+01:00", "+02:00"))
        assert service.scheduler.scheduler.running
    finally:
        service.stop()
        thread.join(10)
    assert not thread.is_alive() and not service.scheduler.scheduler.running


@pytest.mark.subprocess
def test_the_command_logs_json_and_stops_on_sigterm(example):
    process = subprocess.Popen([str(BACKBONE), "serve", "--port", "0", "--log-json"], cwd=example,
                               env=clean_environment(), stderr=subprocess.PIPE, text=True)
    try:
        started = json.loads(read_line(process, timeout=60))
        assert started["event"] == "start" and started["url"].startswith("http://127.0.0.1:")
        assert started["next_run"] and "next scheduled sync" in started["message"]
        with urllib.request.urlopen(started["url"] + "/", timeout=10) as response:
            assert response.status == 200
        request = json.loads(read_line(process, timeout=10))
        assert (request["method"], request["path"], request["status"]) == ("GET", "/", 200)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        rest = [json.loads(line) for line in process.stderr.read().splitlines()]
        assert [entry["message"] for entry in rest][-2:] == ["stopping (SIGTERM)", "stopped"]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def read_line(process: subprocess.Popen, timeout: float) -> str:
    """One line of the process's stderr, without hanging the test when none comes."""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=max(0.0, deadline - time.monotonic())):
            return process.stderr.readline()
    raise AssertionError(f"no output within {timeout} s")
