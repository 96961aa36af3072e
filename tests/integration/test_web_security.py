"""The page on a network: which Host names it answers, which sites may post to it, how fast a password
can be guessed, and which passwords it refuses to start with."""
from __future__ import annotations

import base64
import dataclasses
import logging
from pathlib import Path

import pytest

from sync.bootstrap import Backbone
from sync.entry.web import create_app
from sync.entry.web.serve import serve
from sync.entry.web.throttle import PasswordThrottle
from sync.settings import load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"
PASSWORD = "korrekt häst batteri"
PAGES = ("/", "/runs", "/sync", "/sync/status", "/workshops/ci2/report.docx", "/static/style.css")


def make_backbone(folder: Path, **overrides) -> Backbone:
    return Backbone(dataclasses.replace(load_settings(folder / "settings.env", environ={}), **overrides))


def basic(password: str, user: str = "anna") -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refuse_syncs(backbone, monkeypatch):
    monkeypatch.setattr(backbone, "sync", lambda **_: (_ for _ in ()).throw(AssertionError("must not run")))


# --- Host ---------------------------------------------------------------------------------------

def test_without_a_password_only_loopback_host_names_are_answered(example, monkeypatch):
    backbone = make_backbone(example)
    refuse_syncs(backbone, monkeypatch)
    client = create_app(backbone).test_client()
    for host in ("evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.5",
                 "0.0.0.0:8080", "a@localhost", "localhost/x", ""):
        for path in PAGES:
            assert client.get(path, headers={"Host": host}).status_code == 400, (host, path)
        # DNS rebinding: the attacker's page posts to its own name, so Origin and Host agree
        response = client.post("/sync", headers={"Host": host, "Origin": f"http://{host}"})
        assert response.status_code == 400 and "BACKBONE_WEB_HOSTS" in response.get_data(as_text=True)
    for host in ("localhost", "localhost:8080", "LOCALHOST:8080", "127.0.0.1:8080", "127.5.6.7", "[::1]:8080",
                 "app.localhost:8080"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    assert client.get("/health", headers={"Host": "evil.example"}).status_code == 200  # open and private-free


def test_with_a_password_the_listed_host_names_are_answered(example):
    backbone = make_backbone(example, web_password=PASSWORD, web_hosts="backbone.example.org intra.example:8443")
    client = create_app(backbone).test_client()
    assert client.get("/", headers={"Host": "backbone.example.org", **basic(PASSWORD)}).status_code == 200
    assert client.get("/", headers={"Host": "Backbone.Example.org.", **basic(PASSWORD)}).status_code == 200
    assert client.get("/", headers={"Host": "intra.example:8443", **basic(PASSWORD)}).status_code == 200
    assert client.get("/", headers={"Host": "intra.example:8080", **basic(PASSWORD)}).status_code == 400
    assert client.get("/", headers={"Host": "evil.example", **basic(PASSWORD)}).status_code == 400
    assert client.get("/", headers={"Host": "localhost", **basic(PASSWORD)}).status_code == 200


def test_origin_must_be_an_allowed_host_not_the_requests_own_host(example, monkeypatch):
    backbone = make_backbone(example, web_password=PASSWORD, web_hosts="backbone.example.org")
    refuse_syncs(backbone, monkeypatch)
    client = create_app(backbone).test_client()
    for host, origin in [("backbone.example.org", "https://evil.example"),
                         ("backbone.example.org", "https://backbone.example.org.evil.example"),
                         ("backbone.example.org", "null"),
                         ("localhost:8080", "http://localhost:9999"),  # another program on this machine
                         ("localhost:8080", "https://localhost:8080")]:
        response = client.post("/sync", headers={"Host": host, "Origin": origin, **basic(PASSWORD)})
        assert response.status_code == 403, (host, origin)
    monkeypatch.undo()
    # a proxy that does not pass Host on: the Origin still names the allowed host
    response = client.post("/sync", headers={"Host": "127.0.0.1:8080", "Origin": "https://backbone.example.org",
                                             **basic(PASSWORD)})
    assert response.status_code == 303


# --- password guessing --------------------------------------------------------------------------

def test_wrong_passwords_are_throttled_per_address_and_logged_without_the_password(example, caplog):
    clock = FakeClock()
    client = create_app(make_backbone(example, web_password=PASSWORD), throttle=PasswordThrottle(clock)).test_client()
    attacker, coordinator = {"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "198.51.100.4"}
    caplog.set_level(logging.WARNING, logger="sync.entry.web")
    for guess in range(6):
        assert client.get("/", headers=basic(f"gissning-{guess}"), environ_base=attacker).status_code == 401
    refused = client.get("/", headers=basic(PASSWORD), environ_base=attacker)  # shut out: not even looked at
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert client.get("/", headers=basic(PASSWORD), environ_base=coordinator).status_code == 200
    assert client.get("/", environ_base=attacker).status_code == 401  # no password tried: the browser asks
    clock.now += 1.0
    assert client.get("/", headers=basic("gissning-6"), environ_base=attacker).status_code == 401
    assert client.get("/", headers=basic(PASSWORD), environ_base=attacker).headers["Retry-After"] == "2"
    clock.now += 2.0
    assert client.get("/", headers=basic(PASSWORD), environ_base=attacker).status_code == 200
    assert client.get("/", headers=basic("gissning-7"), environ_base=attacker).status_code == 401  # record cleared
    assert client.get("/", headers=basic(PASSWORD), environ_base=attacker).status_code == 200
    lines = [record.getMessage() for record in caplog.records if record.name == "sync.entry.web.security"]
    assert len(lines) == 8 and all("203.0.113.9" in line for line in lines)
    assert lines[5] == "wrong password from 203.0.113.9 (6 in a row); refusing it for 1 s"
    assert not any("gissning" in line or PASSWORD in line for line in caplog.text.splitlines())


@pytest.mark.slow
def test_a_thousand_guesses_take_hours_even_when_retry_after_is_obeyed(example):
    clock = FakeClock()
    client = create_app(make_backbone(example, web_password=PASSWORD), throttle=PasswordThrottle(clock)).test_client()
    started, guesses = clock.now, 0
    while guesses < 1000:
        response = client.get("/sync/status", headers=basic(f"guess {guesses}"))
        if response.status_code == 429:
            clock.now += int(response.headers["Retry-After"])
        else:
            assert response.status_code == 401
            guesses += 1
    assert clock.now - started > 10 * 3600


def test_a_forwarded_address_from_an_unlisted_peer_is_ignored_so_rotating_it_gains_nothing(example):
    """BACKBONE_TRUSTED_PROXIES is empty by default: X-Forwarded-For from this machine is the attacker's own text."""
    client = create_app(make_backbone(example, web_password=PASSWORD), throttle=PasswordThrottle(FakeClock())).test_client()
    local = {"REMOTE_ADDR": "127.0.0.1"}
    answers = [client.get("/sync/status", headers={**basic(f"guess {n}"), "X-Forwarded-For": f"203.0.113.{n}"},
                          environ_base=local).status_code for n in range(40)]
    assert answers == [401] * 6 + [429] * 34  # one client however the header rotates
    # nor can it claim https: the page was reached over http, so an https origin is another site's
    claimed = {**basic(PASSWORD), "X-Forwarded-Proto": "https", "Origin": "https://localhost"}
    assert client.post("/", headers=claimed, environ_base={"REMOTE_ADDR": "198.51.100.4"}).status_code == 403
    behind = create_app(make_backbone(example, web_password=PASSWORD, trusted_proxies="127.0.0.1")).test_client()
    assert behind.post("/", headers=claimed, environ_base=local).status_code == 405  # past the origin check


def test_a_listed_proxy_speaks_for_each_visitor(example):
    client = create_app(make_backbone(example, web_password=PASSWORD, trusted_proxies="127.0.0.1, 10.0.0.0/24"),
                        throttle=PasswordThrottle(FakeClock())).test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.7"}
    attacker = {**basic("guess"), "X-Forwarded-For": "203.0.113.9"}
    assert [client.get("/sync/status", headers=attacker, environ_base=proxy).status_code for _ in range(8)] == \
        [401] * 6 + [429] * 2
    coordinator = {**basic(PASSWORD), "X-Forwarded-For": "203.0.113.9, 198.51.100.4"}  # the proxy appended the last
    assert client.get("/sync/status", headers=coordinator, environ_base=proxy).status_code == 200
    outsider = {"REMOTE_ADDR": "192.0.2.1"}  # not listed: its header is dropped, it is counted as itself
    assert client.get("/sync/status", headers={**basic(PASSWORD), "X-Forwarded-For": "203.0.113.9"},
                      environ_base=outsider).status_code == 200


def test_trusted_proxies_must_be_addresses_or_networks(tmp_path):
    from sync.core.errors import ConfigError
    assert load_settings(environ={}, cwd=tmp_path).trusted_proxy_networks() == ()
    with pytest.raises(ConfigError, match="BACKBONE_TRUSTED_PROXIES: 'proxy.example' är ingen adress eller nät"):
        load_settings(environ={"BACKBONE_TRUSTED_PROXIES": "127.0.0.1 proxy.example"}, cwd=tmp_path)


def test_the_throttle_remembers_a_bounded_number_of_addresses():
    clock = FakeClock()
    throttle = PasswordThrottle(clock, max_clients=100)
    for number in range(1000):
        clock.now += 1
        throttle.failed(f"10.0.{number // 256}.{number % 256}")
    assert len(throttle._records) <= 101
    assert throttle.failed("10.0.3.231")[0] == 2  # the newest are the ones kept


# --- passwords refused at start ------------------------------------------------------------------

@pytest.mark.parametrize("password, expected", [
    ("hemligt", "BACKBONE_WEB_PASSWORD är för kort (7 tecken); använd minst 12"),
    ("elva tecken", "BACKBONE_WEB_PASSWORD är för kort (11 tecken); använd minst 12"),
    (" " * 20, "BACKBONE_WEB_PASSWORD består bara av mellanslag"),
    ("\t\n  \u00a0" * 4, "BACKBONE_WEB_PASSWORD består bara av mellanslag")])
def test_a_weak_password_is_refused_at_start_in_one_line(example, capsys, password, expected):
    assert serve(make_backbone(example, web_password=password), port=0) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"backbone: fel: {expected}") and err.count("\n") == 1
    assert password.strip() == "" or password not in err


def test_listening_beyond_loopback_needs_the_host_names(example, capsys):
    assert serve(make_backbone(example, web_password=PASSWORD), host="0.0.0.0", port=0) == 2
    err = capsys.readouterr().err
    assert err.startswith("backbone: fel: att lyssna på 0.0.0.0 kräver BACKBONE_WEB_HOSTS") and err.count("\n") == 1
