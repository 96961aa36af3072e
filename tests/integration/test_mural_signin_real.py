"""Sign-in as the real MURAL service wants it: localhost redirect, the documented refresh path with a fallback,
JWT expiry, one refresh at a time across processes, and snapshot reuse with a limit."""
from __future__ import annotations

import json
import logging
import socket
import threading
import time

import pytest
import requests

from sync.adapters.mural.access import login
from sync.adapters.mural.auth import callback_address
from sync.adapters.mural.client import MuralClient
from sync.adapters.mural.mural_config import MURAL  # noqa: E402
from sync.adapters.mural.source import MuralBoardSource
from sync.adapters.signin.tokens import Tokens, TokenStore, jwt_expiry
from sync.bootstrap import mural_config
from sync.core.errors import ConfigError
from tests.fakes.in_memory import InMemoryState
from tests.fakes.mural_api import FakeMural

BOARD = "acme1234.1620000000000"
WIDGETS = [{"id": "a", "type": "area", "title": "Idéer", "x": 0, "y": 0, "width": 1000, "height": 1000},
           {"id": "n", "type": "sticky note", "text": "Hej", "x": 10, "y": 10, "width": 138, "height": 138, "parentId": "a"}]


@pytest.fixture
def fake():
    with FakeMural() as server:
        server.add_board(BOARD, WIDGETS, title="Workshop", updated_on=1700000000000)
        yield server


def seed(fake: FakeMural, settings, expires_in: int = 900, saved_expiry: float | None = ...) -> None:
    answer = fake.issue_tokens(expires_in=expires_in)
    expires = time.time() + expires_in if saved_expiry is ... else saved_expiry
    TokenStore(settings.mural_token_file, MURAL).save(Tokens(answer["access_token"], answer["refresh_token"], expires))


def test_refresh_uses_the_documented_path_with_a_json_body(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed(fake, settings, expires_in=5)  # inside the refresh margin
    MuralClient(mural_config(settings)).mural(BOARD)
    (refresh,) = fake.token_requests()
    assert refresh.path == "/authorization/oauth2/refresh" and refresh.status == 200
    assert "json" in refresh.headers["Content-Type"] and refresh.form["grant_type"] == "refresh_token"


def test_without_the_refresh_path_token_is_used_and_remembered(tmp_path):
    with FakeMural(refresh_endpoint=False) as fake:
        fake.add_board(BOARD, WIDGETS)
        settings = fake.settings(tmp_path / "token.json")
        seed(fake, settings, expires_in=5)
        MuralClient(mural_config(settings)).mural(BOARD)
        assert [(r.path, r.status) for r in fake.token_requests()] == [
            ("/authorization/oauth2/refresh", 404), ("/authorization/oauth2/token", 200)]
        fake.requests.clear()
        seed(fake, settings, expires_in=5)
        MuralClient(mural_config(settings)).mural(BOARD)  # a new client in the same process goes straight to what worked
        assert [r.path for r in fake.token_requests()] == ["/authorization/oauth2/token"]


def test_without_expires_in_the_jwt_exp_says_when_to_refresh(fake, tmp_path):
    fake.expires_in, fake.jwt_lifetime = None, 10  # answers carry no expires_in; the JWT ends in 10 s
    settings = fake.settings(tmp_path / "token.json")
    seed(fake, settings, expires_in=5, saved_expiry=None)  # saved without an expiry: only a 401 would tell
    fake.expire_access_tokens()
    MuralClient(mural_config(settings)).mural(BOARD)  # 401 -> refresh; the new token's expiry comes from its exp claim
    saved = TokenStore(settings.mural_token_file, MURAL).load()
    assert saved.expires_at == jwt_expiry(saved.access_token) and saved.expires_at > time.time()
    fake.requests.clear()
    MuralClient(mural_config(settings)).mural(BOARD)  # 10 s left, inside the 30 s margin: refreshed ahead, no 401 seen
    assert [r.status for r in fake.requests] == [200, 200] and fake.requests[0].path.startswith("/authorization")


def test_two_processes_refreshing_at_once_keep_the_sign_in(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")  # the fake rotates refresh tokens: each is good once
    seed(fake, settings, expires_in=5)
    clients = [MuralClient(mural_config(settings)) for _ in range(4)]
    for client in clients:
        client._tokens = client.store.load()  # every one holds the same, soon spent, refresh token
    fake.slow_next(1, 0.3, where="token")  # the first refresh takes a while: the others queue on the lock
    errors: list[BaseException] = []

    def read(client: MuralClient) -> None:
        try:
            client.mural(BOARD)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(fake.token_requests()) == 1  # one refresh; the others took the tokens it saved
    assert TokenStore(settings.mural_token_file, MURAL).load().refresh_token in fake.valid_refresh_tokens()


def test_a_stale_client_takes_the_tokens_another_process_refreshed(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed(fake, settings)
    serve, cli = MuralClient(mural_config(settings)), MuralClient(mural_config(settings))
    serve.mural(BOARD)
    cli.mural(BOARD)
    fake.expire_access_tokens()
    cli.mural(BOARD)  # the CLI refreshes; the refresh token serve holds is now spent
    serve.mural(BOARD)  # serve sees 401, finds the newer tokens on disk and uses them
    assert [r.path for r in fake.token_requests()] == ["/authorization/oauth2/refresh"]


def test_login_redirects_to_localhost_and_a_configured_url_is_used(fake, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = fake.settings(tmp_path / "token.json", mural_redirect_url=f"http://localhost:{port}/callback")
    opened: list[str] = []

    def browser(url: str) -> None:
        opened.append(url)
        consent = requests.get(url, allow_redirects=False, timeout=5)
        requests.get(consent.headers["Location"], timeout=5)

    login(mural_config(settings), announce=lambda _: None, open_browser=browser)
    assert f"redirect_uri=http%3A%2F%2Flocalhost%3A{port}%2Fcallback" in opened[0]
    assert fake.token_requests()[0].form["redirect_uri"] == f"http://localhost:{port}/callback"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/callback", "https://example.org/callback", "http://localhost/callback",
                                 "http://localhost:8765/other"])
def test_a_redirect_url_backbone_cannot_receive_is_a_config_error(fake, tmp_path, url):
    settings = fake.settings(tmp_path / "token.json", mural_redirect_url=url)
    if url.startswith("http://127.0.0.1"):
        assert callback_address(mural_config(settings)) == (url, 8765)  # a loopback IP works here; only MURAL's portal refuses it
        return
    with pytest.raises(ConfigError, match="BACKBONE_MURAL_REDIRECT_URL"):
        callback_address(mural_config(settings))


def test_an_unchanged_board_is_reused_for_at_most_max_reuse_hours(fake, tmp_path, caplog):
    settings = fake.settings(tmp_path / "token.json")
    seed(fake, settings)
    clock = [1_000_000.0]
    archive = InMemoryState()
    source = MuralBoardSource(MuralClient(mural_config(settings)), archive, now=lambda: clock[0], max_reuse_hours=6)
    source.fetch(BOARD)
    clock[0] += 5 * 3600
    with caplog.at_level(logging.INFO, logger="sync.adapters.mural"):
        source.fetch(BOARD)
    assert source.reused_snapshot and len(fake.api_requests("/widgets")) == 1
    assert "reusing the snapshot fetched 5.0 h ago" in caplog.text
    clock[0] += 2 * 3600  # 7 h since the board was last read: read it again, though updatedOn did not move
    source.fetch(BOARD)
    assert not source.reused_snapshot and len(fake.api_requests("/widgets")) == 2
    clock[0] += 3600  # the re-read counts as a fresh fetch
    source.fetch(BOARD)
    assert source.reused_snapshot and len(fake.api_requests("/widgets")) == 2


def test_the_fake_answers_refresh_with_form_and_json_bodies_and_basic_auth(fake):
    for body in ("json", "data"):
        answer = fake.issue_tokens()
        response = requests.post(fake.url + "/authorization/oauth2/refresh", auth=(fake.client_id, fake.client_secret),
                                 timeout=5, **{body: {"grant_type": "refresh_token", "refresh_token": answer["refresh_token"]}})
        assert response.status_code == 200 and jwt_expiry(response.json()["access_token"]) is not None
    assert json.loads(requests.post(fake.url + "/authorization/oauth2/refresh", json={"refresh_token": "x"},
                                    auth=(fake.client_id, fake.client_secret), timeout=5).text)["error"] == "invalid_grant"
