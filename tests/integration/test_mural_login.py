"""`backbone mural login` against the loopback fake, the test playing the browser."""
from __future__ import annotations

import os
import socket
import stat
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the fake lives in tests/, which is not an installed package
    sys.path.insert(0, str(ROOT))

from sync.adapters.mural.access import login  # noqa: E402
from sync.adapters.mural.client import MuralClient  # noqa: E402
from sync.adapters.mural.mural_config import MURAL  # noqa: E402
from sync.adapters.signin.tokens import Tokens, TokenStore  # noqa: E402
from sync.bootstrap import mural_config  # noqa: E402
from sync.core import i18n  # noqa: E402
from sync.core.errors import ConfigError  # noqa: E402
from tests.fakes.mural_api import FakeMural  # noqa: E402
from tests.fakes.sign_in_browser import Browser  # noqa: E402

BOARD = "acme1234.1620000000000"


@pytest.fixture
def fake():
    with FakeMural() as server:
        server.add_board(BOARD, [{"id": "0-1", "type": "sticky note", "text": "Hej"}], title="Workshop 1")
        yield server


@pytest.mark.parametrize("client_auth", ["basic", "body"])
def test_login_flow_with_pkce_saves_private_tokens(fake, tmp_path, client_auth):
    fake.client_auth = client_auth  # strict: only this way is accepted
    settings = fake.settings(tmp_path / "var" / "mural-token.json", mural_client_auth=client_auth)
    announced: list[str] = []
    browser = Browser()

    confirmation = login(mural_config(settings), announce=announced.append, open_browser=browser)

    url = browser.opened[0]
    assert url in announced
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/api/public/v1/authorization/oauth2/"
    assert query["client_id"] == fake.client_id and query["response_type"] == "code"
    assert query["scope"] == "murals:read workspaces:read rooms:read identity:read"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 20
    redirect = urlsplit(query["redirect_uri"])
    assert redirect.scheme == "http" and redirect.hostname == "localhost" and redirect.path == "/callback"
    assert browser.pages[0].status_code == 200 and "<h1>Inloggad i MURAL</h1>" in browser.pages[0].text
    assert '<html lang="sv">' in browser.pages[0].text
    assert "Du kan stänga fliken och gå tillbaka till backbone." in browser.pages[0].text
    assert announced[0] == "Öppna den här adressen i en webbläsare och låt backbone läsa dina MURAL-tavlor:"

    exchange = fake.token_requests()[0]
    assert exchange.status == 200 and exchange.client_auth == client_auth
    assert exchange.form["grant_type"] == "authorization_code" and exchange.form["redirect_uri"] == query["redirect_uri"]
    assert len(exchange.form["code_verifier"]) >= 43  # the fake checked it against the challenge

    token_file = Path(settings.mural_token_file)
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    saved = TokenStore(token_file, MURAL).load()
    assert saved.access_token and saved.refresh_token and saved.expires_at
    assert confirmation == f"Inloggad i MURAL som Ada Lovelace; inloggningen är sparad i {token_file} (bara du kan läsa den)."
    assert saved.access_token not in confirmation and saved.refresh_token not in confirmation
    assert MuralClient(mural_config(settings)).mural(BOARD)["title"] == "Workshop 1"  # the saved sign-in works


def test_login_speaks_english_in_the_terminal_and_the_browser(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    announced: list[str] = []
    browser = Browser()
    with i18n.speaking("en"):  # as BACKBONE_LANGUAGE=en does; the browser's page is answered on the server's thread
        confirmation = login(mural_config(settings), announce=announced.append, open_browser=browser)
    assert announced[0] == "Open this address in a browser and allow backbone to read your MURAL boards:"
    assert '<html lang="en">' in browser.pages[0].text and "<h1>Signed in to MURAL</h1>" in browser.pages[0].text
    assert "You can close this tab and return to backbone." in browser.pages[0].text
    assert confirmation == (f"Signed in to MURAL as Ada Lovelace; the sign-in is saved in {settings.mural_token_file} "
                            "(readable by you only).")
    with i18n.speaking("en"), pytest.raises(ConfigError, match="the MURAL sign-in answer did not match this login"):
        login(mural_config(settings), announce=lambda line: None, open_browser=Browser(tamper_state=True))


def test_forged_state_is_refused(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    browser = Browser(tamper_state=True)
    with pytest.raises(ConfigError, match=r"hör inte till den här inloggningen \(state skiljer sig.*: kör `backbone mural login` igen"):
        login(mural_config(settings), announce=lambda line: None, open_browser=browser)
    assert browser.pages[0].status_code == 400 and "<h1>Inloggningen godtogs inte</h1>" in browser.pages[0].text
    assert fake.token_requests() == [] and not Path(settings.mural_token_file).exists()


def test_refused_consent_is_reported(fake, tmp_path):
    fake.refuse_authorization = True
    settings = fake.settings(tmp_path / "token.json")
    with pytest.raises(ConfigError, match=r"MURAL-inloggningen slutfördes inte \(access_denied.*: kör `backbone mural login` igen "
                                          "och ge åtkomst"):
        login(mural_config(settings), announce=lambda line: None, open_browser=Browser())


def test_browser_that_never_comes_back_times_out(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    with pytest.raises(ConfigError, match=r"webbläsaren kom inte tillbaka från inloggningssidan hos MURAL inom 0.2 s: kör "
                                          "`backbone mural login` igen"):
        login(mural_config(settings), announce=lambda line: None, open_browser=lambda url: None, timeout=0.2)


def test_busy_callback_port_is_a_config_error(fake, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings = fake.settings(tmp_path / "token.json", mural_callback_port=taken.getsockname()[1])
        with pytest.raises(ConfigError, match="BACKBONE_MURAL_CALLBACK_PORT"):
            login(mural_config(settings), announce=lambda line: None, open_browser=lambda url: None, timeout=0.2)


def test_missing_client_id_is_a_config_error(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json", mural_client_id="")
    with pytest.raises(ConfigError, match="BACKBONE_MURAL_CLIENT_ID är inte satt: registrera backbone som app på "
                                          "https://developers.mural.co med omdirigeringsadressen http://localhost"):
        login(mural_config(settings), announce=lambda line: None, open_browser=lambda url: None)


def test_wrong_client_secret_is_a_config_error(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json", mural_client_secret="wrong")
    with pytest.raises(ConfigError, match="BACKBONE_MURAL_CLIENT_SECRET") as caught:
        login(mural_config(settings), announce=lambda line: None, open_browser=Browser())
    assert "wrong" not in str(caught.value)


def test_token_file_is_never_readable_by_others_even_briefly(tmp_path, monkeypatch):
    seen_modes: list[int] = []
    real_replace = os.replace

    def checking_replace(source, target):  # noqa: ANN001
        seen_modes.append(stat.S_IMODE(os.stat(source).st_mode))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", checking_replace)  # every atomic write renames through os.replace
    old_umask = os.umask(0)  # a careless umask must not matter
    try:
        TokenStore(tmp_path / "var" / "token.json", MURAL).save(Tokens("at-secret", "rt-secret", 123.0))
    finally:
        os.umask(old_umask)
    assert seen_modes == [0o600]
    assert stat.S_IMODE((tmp_path / "var" / "token.json").stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["token.json"]  # no temporary file left


def test_unreadable_token_file_names_the_file(tmp_path):
    path = tmp_path / "token.json"
    path.write_text("not json at all")
    with pytest.raises(ConfigError) as caught:
        TokenStore(path, MURAL).load()
    assert str(path) in str(caught.value) and "backbone mural login" in str(caught.value)
    path.unlink()
    path.mkdir()  # a folder where the file should be: unreadable as a file
    with pytest.raises(ConfigError, match="MURAL-inloggningsfilen går inte att läsa"):
        TokenStore(path, MURAL).load()
