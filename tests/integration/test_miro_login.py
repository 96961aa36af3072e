"""`backbone miro login` and the Miro sign-in's renewal, against the loopback fake Miro (the test plays the browser).

Miro rotates both tokens on every refresh: these tests hold the promise that the sign-in survives it, across
processes sharing the token file, a dropped answer and a file that cannot be written.
"""
from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the fake lives in tests/, which is not an installed package
    sys.path.insert(0, str(ROOT))

from sync.adapters.miro.auth import MiroTokenEndpoint, SavedSignIn, signed_in  # noqa: E402
from sync.adapters.miro.client import MiroClient  # noqa: E402
from sync.adapters.miro.miro_config import MIRO, MiroConfig  # noqa: E402
from sync.adapters.miro.signin import login  # noqa: E402
from sync.adapters.retry import RetryPolicy  # noqa: E402
from sync.adapters.signin.tokens import Tokens, TokenStore  # noqa: E402
from sync.core import i18n  # noqa: E402
from sync.core.errors import ConfigError  # noqa: E402
from tests.fakes.miro_api import FakeMiro  # noqa: E402
from tests.fakes.sign_in_browser import Browser  # noqa: E402

BOARD = "uXjVOD6Xk1E="
STICKY = {"id": "3458764001", "type": "sticky_note", "data": {"content": "<p>Hej</p>", "shape": "square"},
          "position": {"x": 0, "y": 0, "origin": "center", "relativeTo": "canvas_center"},
          "geometry": {"width": 200, "height": 200}}


@pytest.fixture
def fake():
    with FakeMiro() as server:
        server.add_board(BOARD, [STICKY], name="Workshop 2")
        yield server


def config(fake: FakeMiro, tmp_path: Path, **overrides: object) -> MiroConfig:
    values: dict = dict(api_url=fake.url, authorize_url=fake.authorize_url, client_id=fake.client_id,
                        client_secret=fake.client_secret, token_file=tmp_path / "var" / "miro-token.json",
                        callback_port=0, timeout=5.0, retry=RetryPolicy(tries=3, sleep=lambda s: None))
    values.update(overrides)
    return MiroConfig(**values)


def signed_in_client(cfg: MiroConfig) -> MiroClient:
    session = requests.Session()
    return MiroClient(signed_in(cfg, session, cfg.retry), cfg.api_url, timeout=cfg.timeout, policy=cfg.retry,
                      session=session)


def test_login_saves_a_private_sign_in_that_reads_boards(fake, tmp_path):
    cfg = config(fake, tmp_path)
    announced: list[str] = []
    browser = Browser()

    line = login(cfg, announce=announced.append, open_browser=browser)

    url = browser.opened[0]
    assert announced == ["Öppna den här adressen i en webbläsare och låt backbone läsa dina Miro-tavlor:", url]
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/oauth/authorize" and query["response_type"] == "code" and query["client_id"] == fake.client_id
    assert query["scope"] == "boards:read" and len(query["state"]) >= 20
    redirect = urlsplit(query["redirect_uri"])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "localhost", "/callback")
    page = browser.pages[0]
    assert page.status_code == 200 and "<h1>Inloggad i Miro</h1>" in page.text and '<html lang="sv">' in page.text

    token_file = cfg.token_file
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    saved = TokenStore(token_file, MIRO).load()
    assert saved.refresh_token in fake.refresh_tokens and saved.expires_at and saved.expires_at > time.time() + 3000
    assert line == (f"Inloggad i Miro som Ada Lindqvist (team Biskopsgården); inloggningen är sparad i {token_file} "
                    "(bara du kan läsa den; åtkomsttokenet gäller en timme och förnyas av sig självt).")
    assert saved.access_token not in line and saved.refresh_token not in line and fake.client_secret not in line
    assert fake.token_requests == [("authorization_code", 200)]
    assert signed_in_client(cfg).board(BOARD)["name"] == "Workshop 2"


def test_login_speaks_english_and_says_when_the_token_does_not_expire(tmp_path):
    with FakeMiro(expiring=False) as fake:
        browser = Browser()
        with i18n.speaking("en"):
            line = login(config(fake, tmp_path), announce=lambda text: None, open_browser=browser)
    assert "<h1>Signed in to Miro</h1>" in browser.pages[0].text and '<html lang="en">' in browser.pages[0].text
    assert line.startswith("Signed in to Miro as Ada Lindqvist (team Biskopsgården); the sign-in is saved in ")
    assert line.endswith("(readable by you only; the app's token does not expire).")
    assert TokenStore(tmp_path / "var" / "miro-token.json", MIRO).load().refresh_token == ""


def test_a_forged_or_refused_sign_in_saves_nothing(fake, tmp_path):
    cfg = config(fake, tmp_path)
    forged = Browser(tamper_state=True)
    with pytest.raises(ConfigError, match=r"svaret från Miro-inloggningen hör inte till den här inloggningen .*"
                                          "kör `backbone miro login` igen"):
        login(cfg, announce=lambda text: None, open_browser=forged)
    assert forged.pages[0].status_code == 400 and "<h1>Inloggningen godtogs inte</h1>" in forged.pages[0].text
    with pytest.raises(ConfigError, match=r"Miro-inloggningen slutfördes inte \(access_denied: The user denied access\)"):
        login(cfg, announce=lambda text: None, open_browser=Browser(refuse=True))
    assert fake.token_requests == [] and not cfg.token_file.exists()


def test_login_needs_the_client_id_and_secret_and_never_shows_the_secret(fake, tmp_path):
    with pytest.raises(ConfigError, match="både BACKBONE_MIRO_CLIENT_ID och BACKBONE_MIRO_CLIENT_SECRET måste vara "
                                          r"satta: .* omdirigeringsadressen http://localhost:0/callback"):
        login(config(fake, tmp_path, client_secret=""), announce=lambda text: None, open_browser=Browser())
    with pytest.raises(ConfigError, match="Miro godtog inte backbones klient-id/hemlighet") as caught:
        login(config(fake, tmp_path, client_secret="wrong-secret"), announce=lambda text: None, open_browser=Browser())
    assert "wrong-secret" not in str(caught.value)
    assert not (tmp_path / "var" / "miro-token.json").exists()


def saved_sign_in(fake: FakeMiro, cfg: MiroConfig, *, expired: bool) -> Tokens:
    """A sign-in as `login` leaves it, issued by the fake; `expired` moves its expiry into the past."""
    login(cfg, announce=lambda text: None, open_browser=Browser())
    store = TokenStore(cfg.token_file, MIRO)
    tokens = store.load()
    if expired:
        tokens = Tokens(tokens.access_token, tokens.refresh_token, time.time() - 5)
        store.save(tokens)
    return tokens


def test_an_expired_token_is_renewed_and_the_rotated_refresh_token_kept(fake, tmp_path):
    cfg = config(fake, tmp_path)
    old = saved_sign_in(fake, cfg, expired=True)

    assert signed_in_client(cfg).board(BOARD)["name"] == "Workshop 2"

    new = TokenStore(cfg.token_file, MIRO).load()
    assert fake.refreshes() == 1 and new.refresh_token != old.refresh_token
    assert fake.refresh_tokens == {new.refresh_token}  # the old one is dead: only the saved one works
    assert stat.S_IMODE(cfg.token_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in cfg.token_file.parent.iterdir()) == ["miro-token.json", "miro-token.json.lock"]
    assert signed_in_client(cfg).board(BOARD)["name"] == "Workshop 2"  # the next run reads the new pair
    assert fake.refreshes() == 1


def test_a_token_refused_mid_run_is_renewed_once_and_the_pull_goes_on(fake, tmp_path):
    cfg = config(fake, tmp_path)
    saved_sign_in(fake, cfg, expired=False)
    client = signed_in_client(cfg)
    assert client.board(BOARD)["name"] == "Workshop 2"
    fake.revoke_access()  # the hour is up on Miro's clock before it is on ours

    assert [i["id"] for i in client.items(BOARD)] == [STICKY["id"]]
    assert fake.refreshes() == 1
    statuses = [status for path, _query, status in fake.api_requests("/items")]
    assert statuses == [401, 200]


@pytest.mark.subprocess
def test_two_processes_renewing_at_once_spend_the_refresh_token_once(fake, tmp_path):
    """`serve` and a CLI command share the file: the second to take the lock uses the first one's new tokens."""
    cfg = config(fake, tmp_path)
    saved_sign_in(fake, cfg, expired=True)
    script = ("import sys; sys.path.insert(0, sys.argv[1]);"
              "from pathlib import Path;"
              "from sync.adapters.miro.miro_config import MiroConfig;"
              "from tests.integration.test_miro_login import signed_in_client;"
              "cfg = MiroConfig(api_url=sys.argv[2], client_id=sys.argv[3], client_secret=sys.argv[4],"
              " token_file=Path(sys.argv[5]), timeout=5.0);"
              "print(signed_in_client(cfg).board(sys.argv[6])['name'])")
    args = [sys.executable, "-c", script, str(ROOT), fake.url, fake.client_id, fake.client_secret, str(cfg.token_file), BOARD]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outcomes = [run.communicate(timeout=60) for run in runs]
    assert [out.strip() for out, _err in outcomes] == ["Workshop 2"] * 3, [err for _out, err in outcomes]
    assert fake.refreshes() == 1
    assert fake.refresh_tokens == {TokenStore(cfg.token_file, MIRO).load().refresh_token}


def test_threads_of_one_process_share_the_lock_too(fake, tmp_path):
    cfg = config(fake, tmp_path)
    saved_sign_in(fake, cfg, expired=True)
    names: list[str] = []
    threads = [threading.Thread(target=lambda: names.append(signed_in_client(cfg).board(BOARD)["name"])) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert names == ["Workshop 2"] * 4 and fake.refreshes() == 1


def test_a_dropped_answer_before_miro_rotated_is_retried(fake, tmp_path):
    cfg = config(fake, tmp_path)
    saved_sign_in(fake, cfg, expired=True)
    fake.drop_token(after_rotating=False)
    assert signed_in_client(cfg).board(BOARD)["name"] == "Workshop 2"
    assert [grant for grant, _status in fake.token_requests] == ["authorization_code", "refresh_token", "refresh_token"]
    assert fake.refresh_tokens == {TokenStore(cfg.token_file, MIRO).load().refresh_token}


def test_a_dropped_answer_after_miro_rotated_says_to_sign_in_again_and_keeps_the_file(fake, tmp_path):
    cfg = config(fake, tmp_path)
    before = saved_sign_in(fake, cfg, expired=True)
    fake.drop_token(after_rotating=True)  # Miro's answer with the new pair never arrives
    with pytest.raises(ConfigError, match=r"^Miro-inloggningen har gått ut eller återkallats: kör `backbone miro "
                                          "login` igen$"):
        signed_in_client(cfg).board(BOARD)
    assert TokenStore(cfg.token_file, MIRO).load() == before  # not half-written, not emptied


def test_a_token_file_that_cannot_be_written_stops_before_miro_rotates(fake, tmp_path, monkeypatch):
    cfg = config(fake, tmp_path)
    before = saved_sign_in(fake, cfg, expired=True)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", disk_full)  # every new file in the folder fails, as on a full disk
    with pytest.raises(ConfigError, match=r"kan inte spara Miro-inloggningen \(No space left on device\)"):
        signed_in_client(cfg).board(BOARD)
    assert fake.refreshes() == 0 and before.refresh_token in fake.refresh_tokens  # never spent: the sign-in still works
    monkeypatch.undo()
    assert signed_in_client(cfg).board(BOARD)["name"] == "Workshop 2"


def test_a_revoked_sign_in_is_one_line(fake, tmp_path):
    cfg = config(fake, tmp_path)
    saved_sign_in(fake, cfg, expired=True)
    fake.refresh_tokens.clear()  # the person removed the app from their Miro team
    with i18n.speaking("en"), pytest.raises(ConfigError) as caught:
        signed_in_client(cfg).board(BOARD)
    assert str(caught.value) == "Miro sign-in expired or revoked: run `backbone miro login` again"


def test_no_sign_in_and_no_token_says_what_to_run(fake, tmp_path):
    cfg = config(fake, tmp_path)
    with pytest.raises(ConfigError, match=r"^ingen Miro-inloggning än: kör `backbone miro login` \(letade efter .*miro-token\.json\)$"):
        signed_in_client(cfg).board(BOARD)


def test_a_fixed_token_wins_over_the_sign_in_and_is_never_renewed(fake, tmp_path):
    cfg = config(fake, tmp_path, token=fake.token)
    saved_sign_in(fake, cfg, expired=True)
    assert signed_in_client(cfg).board(BOARD)["name"] == "Workshop 2" and fake.refreshes() == 0
    with pytest.raises(ConfigError, match=r"Miro godtog inte åtkomsttokenet \(401\): kontrollera BACKBONE_MIRO_TOKEN"):
        signed_in_client(config(fake, tmp_path, token="not-the-token")).board(BOARD)


def test_the_token_endpoint_takes_the_form_body_and_answers_without_secrets(fake, tmp_path):
    cfg = config(fake, tmp_path)
    endpoint = MiroTokenEndpoint(cfg, requests.Session(), cfg.retry)
    assert fake.client_secret not in repr(endpoint)
    tokens = saved_sign_in(fake, cfg, expired=False)
    assert "miro-at-" not in repr(tokens) and "miro-rt-" not in repr(tokens)
    assert "miro-token.json" in repr(SavedSignIn(TokenStore(cfg.token_file, MIRO), lambda: endpoint))
    fake.fail_token(503)
    renewed = endpoint.refresh(tokens)  # a 503 is retried
    assert renewed.refresh_token in fake.refresh_tokens and tokens.refresh_token not in fake.refresh_tokens


@pytest.mark.subprocess
def test_the_cli_signs_in_then_pulls_with_the_saved_sign_in(fake, tmp_path):
    """What the technical person does once: `backbone miro login`, the browser, then every later run needs nothing."""
    settings = tmp_path / "settings.env"
    settings.write_text("\n".join([
        "BACKBONE_BOARDS=miro", f"BACKBONE_MIRO_API_URL={fake.url}", f"BACKBONE_MIRO_AUTHORIZE_URL={fake.authorize_url}",
        f"BACKBONE_MIRO_CLIENT_ID={fake.client_id}", f"BACKBONE_MIRO_CLIENT_SECRET={fake.client_secret}",
        "BACKBONE_MIRO_CALLBACK_PORT=0", "BACKBONE_MIRO_TOKEN_FILE=var/miro-token.json",
        "BACKBONE_STATE=var/state.sqlite3", ""]), encoding="utf-8")
    backbone = [str(Path(sys.executable).with_name("backbone")), "--settings", str(settings)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKBONE_") and k not in ("DISPLAY", "BROWSER")}
    run = subprocess.Popen([*backbone, "miro", "login"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    assert run.stdout is not None
    first, url = run.stdout.readline(), run.stdout.readline().strip()
    assert first.startswith("Öppna den här adressen") and url.startswith(fake.authorize_url + "?")
    Browser()(url)
    out, err = run.communicate(timeout=30)
    assert run.returncode == 0, err
    token_file = tmp_path / "var" / "miro-token.json"  # relative to the settings file's folder
    assert out.strip().startswith(f"Inloggad i Miro som Ada Lindqvist (team Biskopsgården); inloggningen är sparad i {token_file}")
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600

    pulled = subprocess.run([*backbone, "miro", "pull", BOARD, "--out", str(tmp_path / "out")], capture_output=True,
                            text=True, env=env, timeout=60, cwd=tmp_path)
    assert pulled.returncode == 0, pulled.stderr
    assert (tmp_path / "out" / f"{BOARD}.json").is_file() and "'Workshop 2'" in pulled.stdout

    shown = subprocess.run([*backbone, "settings"], capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    assert "BACKBONE_MIRO_CLIENT_SECRET=********" in shown.stdout and fake.client_secret not in shown.stdout
    saved = TokenStore(token_file, MIRO).load()
    for output in (out, err, pulled.stdout, pulled.stderr, shown.stdout):
        assert saved.access_token not in output and saved.refresh_token not in output
