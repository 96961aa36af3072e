"""The real MURAL client and pull against the loopback fake: paging, refresh, rate limits, retries, errors."""
from __future__ import annotations

import json
import logging
import re
import stat
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the fake lives in tests/, which is not an installed package
    sys.path.insert(0, str(ROOT))

from sync.adapters.mural.access import pull  # noqa: E402
from sync.adapters.mural.client import MuralClient  # noqa: E402
from sync.adapters.mural.mural_config import MURAL  # noqa: E402
from sync.adapters.mural.mural_http import MuralAPIError, Throttle  # noqa: E402
from sync.adapters.mural.source import FileBoardSource, MuralBoardSource, export_from_json  # noqa: E402
from sync.adapters.signin.tokens import Tokens, TokenStore  # noqa: E402
from sync.bootstrap import mural_config  # noqa: E402
from sync.core import i18n  # noqa: E402
from sync.core.errors import AccessError, ConfigError, NotFoundError, ServiceError  # noqa: E402
from tests.fakes.in_memory import InMemoryState  # noqa: E402
from tests.fakes.mural_api import FakeMural  # noqa: E402

BOARD = "acme1234.1620000000000"
BOARD_URL = "https://app.mural.co/t/acme1234/m/acme1234/1620000000000/abc123def456?sender=u123"
REVOKED_LINE = "MURAL-inloggningen har gått ut eller återkallats: kör `backbone mural login` igen"


def board_widgets(count: int) -> list[dict]:
    """An area and sticky notes in it, with the text a real workshop produces (emoji, accents, RTL)."""
    texts = ["Mer tid för barnen 🙂", "Napoléon", "שלום", "<b>not markup</b>", ""]
    widgets = [{"id": "area-1", "type": "area", "title": "Idéer", "x": 0, "y": 0, "parentId": None}]
    for n in range(1, count):
        widgets.append({"id": f"0-16509916{n:05d}", "type": "sticky note", "text": texts[n % len(texts)],
                        "htmlText": f"<p>{texts[n % len(texts)]}</p>", "parentId": "area-1", "tags": ["t1"]})
    return widgets


@pytest.fixture
def fake():
    with FakeMural(page_size=4) as server:
        server.add_board(BOARD, board_widgets(10), title="Workshop 1: Förankring", updated_on=1700000000000,
                         tags=[{"id": "t1", "text": "Prioritet", "color": "#FF0000"}])
        yield server


def seed_tokens(fake: FakeMural, settings, expires_in: int = 900) -> dict:
    """A signed-in user: tokens known to the fake and saved in the token file."""
    answer = fake.issue_tokens(expires_in=expires_in)
    TokenStore(settings.mural_token_file, MURAL).save(Tokens(answer["access_token"], answer["refresh_token"], time.time() + expires_in))
    return answer


def client_for(settings, sleeps: list[float] | None = None, **kwargs) -> MuralClient:
    """A client that records its waits instead of sleeping."""
    sleeps = [] if sleeps is None else sleeps
    return MuralClient(mural_config(settings), sleep=sleeps.append, **kwargs)


def saved_tokens(settings) -> dict:
    return json.loads(Path(settings.mural_token_file).read_text())


def test_a_long_pull_says_how_far_it_has_come(fake, tmp_path):
    fake.page_size = 100
    fake.add_board("acme1234.1650000000001", board_widgets(1_050), title="Stor")
    settings = fake.settings(tmp_path / "var" / "mural-token.json")
    seed_tokens(fake, settings)
    lines: list[str] = []
    pull(mural_config(settings), "acme1234.1650000000001", tmp_path / "out", client=client_for(settings),
         progress=lines.append)
    assert lines == ["MURAL: 500 objekt lästa hittills", "MURAL: 1\u00a0000 objekt lästa hittills"]


# --- the "done when" scenario ------------------------------------------------------------------------
def test_pull_survives_429_and_expired_token_and_keeps_refresh_token(fake, tmp_path):
    fake.rotate_refresh = False  # the refresh answer carries no refresh_token
    settings = fake.settings(tmp_path / "var" / "mural-token.json")
    seeded = seed_tokens(fake, settings, expires_in=-60)  # expired already, in the file and at MURAL
    fake.fail_next(1, 429, retry_after="2")  # the very first request
    sleeps: list[float] = []

    path, summary = pull(mural_config(settings), BOARD, tmp_path / "out", client=client_for(settings, sleeps))

    first = fake.requests[0]
    assert first.status == 429 and fake.requests[1].path == first.path  # the same request, retried
    assert 2.0 in sleeps  # Retry-After honoured (by the injected sleep)
    pages = fake.api_requests("/widgets")
    assert [r.status for r in pages] == [200, 200, 200]
    assert [r.query.get("limit") for r in pages] == ["100", "100", "100"]
    assert "next" not in pages[0].query and all(r.query.get("next") for r in pages[1:])
    tokens = saved_tokens(settings)
    assert tokens["access_token"] != seeded["access_token"]  # refreshed
    assert tokens["refresh_token"] == seeded["refresh_token"]  # kept: the answer had none
    assert tokens["expires_at"] == pytest.approx(time.time() + 900, abs=30)
    assert stat.S_IMODE(Path(settings.mural_token_file).stat().st_mode) == 0o600
    assert path == tmp_path / "out" / f"{BOARD}.json"
    export = export_from_json(json.loads(path.read_text(encoding="utf-8")), str(path))
    assert [w["id"] for w in export.widgets] == [w["id"] for w in board_widgets(10)]
    assert export.id == BOARD and export.updated == 1700000000000 and export.tags == {"t1": "Prioritet"}
    assert summary.startswith("'Workshop 1: Förankring'") and "10 objekt, 9 lappar" in summary
    assert "\n" not in summary


def test_refresh_token_rotation_is_persisted(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seeded = seed_tokens(fake, settings, expires_in=-60)
    pull(mural_config(settings), BOARD, tmp_path, client=client_for(settings))
    tokens = saved_tokens(settings)
    assert tokens["refresh_token"] != seeded["refresh_token"]
    assert fake.valid_refresh_tokens() == {tokens["refresh_token"]}  # the old one is void at MURAL now


@pytest.mark.parametrize("expired_status", [401, 403])
def test_token_expiring_in_the_middle_of_paging_is_refreshed_once(fake, tmp_path, expired_status):
    fake.expired_status = expired_status  # 403 comes with code TOKEN_EXPIRED
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    fake.expire_tokens_after(2)  # two pages are served, the third finds the token expired
    widgets = client_for(settings).widgets(BOARD)
    assert len(widgets) == 10
    pages = fake.api_requests("/widgets")
    assert [r.status for r in pages] == [200, 200, expired_status, 200]
    assert pages[2].query["next"] == pages[3].query["next"]  # the same page asked again
    assert len(fake.token_requests()) == 1


def test_refreshes_ahead_of_expiry_and_honours_expires_in(fake, tmp_path):
    fake.expires_in = 120
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings, expires_in=10)  # still valid, but within the refresh margin
    client_for(settings).mural(BOARD)
    assert fake.requests[0].path == "/authorization/oauth2/refresh"  # the documented path first
    assert saved_tokens(settings)["expires_at"] == pytest.approx(time.time() + 120, abs=10)
    fake.requests.clear()
    client_for(settings).mural(BOARD)  # two minutes left: no refresh
    assert fake.token_requests() == []


@pytest.mark.parametrize("last_next", ["null", "empty"])
def test_null_or_empty_next_also_ends_paging(fake, tmp_path, last_next):
    fake.last_next = last_next
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    assert len(client_for(settings).widgets(BOARD)) == 10
    assert len(fake.api_requests("/widgets")) == 3


def test_token_answer_without_expires_in_refreshes_only_when_told(fake, tmp_path):
    fake.expires_in = None
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings, expires_in=-60)
    client = client_for(settings)
    client.mural(BOARD)
    assert saved_tokens(settings)["expires_at"] is None
    client.mural(BOARD)
    assert len(fake.token_requests()) == 1


def test_bad_api_url_is_a_config_error(tmp_path):
    with FakeMural() as server:
        settings = server.settings(tmp_path / "token.json", mural_api_url="app.mural.co/api/public/v1")
        seed_tokens(server, settings)
        with pytest.raises(ConfigError, match="BACKBONE_MURAL_API_URL"):
            client_for(settings).mural(BOARD)


@pytest.mark.parametrize("setting,accepted", [("basic", "basic"), ("body", "body"), ("basic", "body"), ("body", "basic")])
def test_client_authentication_basic_or_body_with_fallback(fake, tmp_path, setting, accepted):
    fake.client_auth = accepted
    settings = fake.settings(tmp_path / "token.json", mural_client_auth=setting)
    seed_tokens(fake, settings, expires_in=-60)
    client = client_for(settings)
    client.mural(BOARD)
    used = [r.client_auth for r in fake.token_requests()]
    assert used == ([setting] if setting == accepted else [setting, accepted])
    assert fake.token_requests()[-1].status == 200
    if accepted == "basic":
        assert "client_secret" not in fake.token_requests()[-1].form
    fake.requests.clear()
    fake.expire_access_tokens()
    client.mural(BOARD)  # the way that worked is kept for the next refresh
    assert [r.client_auth for r in fake.token_requests()] == [accepted]


def test_revoked_refresh_token_asks_for_login_again(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings, expires_in=-60)
    fake.revoke_refresh_tokens()
    with pytest.raises(ConfigError) as caught:
        pull(mural_config(settings), BOARD, tmp_path, client=client_for(settings))
    assert str(caught.value).startswith(REVOKED_LINE)
    assert caught.value.exit_code == 2 and caught.value.status == 400 and caught.value.code == "invalid_grant"


def test_no_sign_in_yet(fake, tmp_path):
    settings = fake.settings(tmp_path / "missing.json")
    with pytest.raises(ConfigError, match=r"ingen MURAL-inloggning än: kör `backbone mural login`"):
        client_for(settings).mural(BOARD)


def test_board_not_shared_names_board_and_whom_to_ask(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    fake.deny(BOARD, 403)
    with pytest.raises(AccessError) as caught:
        pull(mural_config(settings), BOARD_URL, tmp_path, client=client_for(settings))
    message = str(caught.value)
    assert BOARD in message and "ägare eller facilitator" in message and "dela den" in message
    assert caught.value.status == 403 and caught.value.request_id and caught.value.request_id in message
    assert caught.value.exit_code == 2


def test_missing_board_names_board(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    with pytest.raises(NotFoundError) as caught:
        pull(mural_config(settings), "acme1234.999", tmp_path, client=client_for(settings))
    assert "MURAL-tavlan acme1234.999 hittades inte" in str(caught.value) and caught.value.status == 404


def test_5xx_retries_are_bounded_then_service_error(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json", http_retries=3)
    seed_tokens(fake, settings)
    fake.fail_next(100, 503, where="api")
    sleeps: list[float] = []
    with pytest.raises(ServiceError) as caught:
        client_for(settings, sleeps).mural(BOARD)
    assert isinstance(caught.value, MuralAPIError) and caught.value.status == 503 and caught.value.exit_code == 1
    assert "MURAL svarar inte som det ska" in str(caught.value) and "efter 3 försök" in str(caught.value)
    assert re.search(r"försök igen senare \(MURAL:s förfrågnings-id [0-9a-f-]{36}\)$", str(caught.value))
    assert len(fake.api_requests()) == 3 and len(sleeps) == 2 and all(0 <= s <= 30 for s in sleeps)


def test_mural_errors_in_english_name_the_tries_and_the_request_id(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json", http_retries=2)
    seed_tokens(fake, settings)
    fake.fail_next(100, 503, where="api")
    with i18n.speaking("en"), pytest.raises(ServiceError) as caught:
        client_for(settings, []).mural(BOARD)
    assert str(caught.value).startswith(f"MURAL is not answering properly (GET /murals/{BOARD}: 503 ")
    assert "after 2 tries); try again later (MURAL request id " in str(caught.value)


def test_dropped_connections_and_timeouts_are_retried(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json", http_timeout=0.2)
    seed_tokens(fake, settings)
    fake.fail_next(1, 0, where="api")  # connection dropped without an answer
    fake.slow_next(1, 0.5, where="api")  # then an answer too late
    assert client_for(settings).mural(BOARD)["title"] == "Workshop 1: Förankring"
    assert len(fake.api_requests()) == 3


def test_unreachable_mural_is_a_service_error(tmp_path):
    with FakeMural() as server:
        settings = server.settings(tmp_path / "token.json", http_retries=2)
        seed_tokens(server, settings)
        server.fail_next(10, 0)
        with pytest.raises(ServiceError, match=r"MURAL gick inte att nå \(GET .*: anslutningen misslyckades, 2 försök\); "
                                               "kontrollera nätverksanslutningen"):
            client_for(settings).mural(BOARD)
        with i18n.speaking("en"), pytest.raises(ServiceError, match=r"could not be reached \(.*connection failed, 2 tries\)"):
            client_for(settings).mural(BOARD)


def test_every_request_has_an_explicit_timeout(fake, tmp_path):
    timeouts: list[object] = []

    class RecordingSession(requests.Session):
        def request(self, method, url, **kwargs):  # noqa: ANN001
            timeouts.append(kwargs.get("timeout"))
            return super().request(method, url, **kwargs)

    settings = fake.settings(tmp_path / "token.json", http_timeout=7.5)
    seed_tokens(fake, settings, expires_in=-60)
    pull(mural_config(settings), BOARD, tmp_path, client=client_for(settings, session=RecordingSession()))
    assert len(timeouts) == len(fake.requests) and set(timeouts) == {7.5}


class FakeClock:
    def __init__(self) -> None:
        self.t = 5000.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(seconds, 0.0)


def windows_ok(times: list[float], limit: int) -> bool:
    """No one-second window holds more than `limit` of the times."""
    times = sorted(times)
    return all(times[i + limit] - times[i] >= 1.0 for i in range(len(times) - limit))


@pytest.mark.slow
def test_throttle_keeps_under_25_requests_per_second(tmp_path):
    clock = FakeClock()
    with FakeMural(page_size=1) as server:
        server.add_board(BOARD, board_widgets(60), title="Big")
        settings = server.settings(tmp_path / "token.json")
        seed_tokens(server, settings)
        client = client_for(settings, throttle=Throttle(clock=clock.now, sleep=clock.sleep))
        sent: list[float] = []
        client.session.hooks["response"].append(lambda response, *args, **kwargs: sent.append(clock.now()))
        started = time.monotonic()
        assert len(client.widgets(BOARD)) == 60
    assert len(sent) == 60 and windows_ok(sent, 25)
    assert clock.t - 5000.0 >= 2.0  # the throttle did wait (on the fake clock)...
    assert time.monotonic() - started < 5  # ...and not for real


def test_throttle_limit_is_exact():
    clock = FakeClock()
    throttle = Throttle(max_per_second=25, clock=clock.now, sleep=clock.sleep)
    times = []
    for _ in range(100):
        throttle.wait()
        times.append(clock.now())
    assert windows_ok(times, 25) and times[24] == 5000.0 and times[25] == pytest.approx(5001.0)


def test_429_while_paging_waits_for_rate_limit_reset(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    sleeps: list[float] = []
    client = client_for(settings, sleeps)
    fake.fail_next(1, 429, where="api", retry_after=None)  # only X-RateLimit-Reset says when
    assert len(client.widgets(BOARD)) == 10
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 2


def test_unchanged_board_is_not_downloaded_again(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    archive = InMemoryState()
    client = client_for(settings)
    first_path, _ = pull(mural_config(settings), BOARD, tmp_path, archive, client=client)
    fake.requests.clear()
    path, summary = pull(mural_config(settings), BOARD, tmp_path, archive, client=client)
    assert [r.path for r in fake.api_requests()] == [f"/murals/{BOARD}"]  # metadata only
    assert "(oförändrad sedan förra hämtningen)" in summary and "10 objekt, 9 lappar" in summary
    with i18n.speaking("en"):
        _, english = pull(mural_config(settings), BOARD, tmp_path, archive, client=client)
    assert "10 widgets, 9 sticky notes (unchanged since the last pull) -> " in english
    assert len(export_from_json(json.loads(path.read_text()), str(path)).widgets) == 10
    fake.touch(BOARD)
    fake.requests.clear()
    pull(mural_config(settings), BOARD, tmp_path, archive, client=client)
    assert fake.api_requests("/widgets") and len(archive.snapshots(BOARD)) == 2


def test_board_source_resolves_urls_and_reads_tags(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    export = MuralBoardSource(client_for(settings)).fetch(BOARD_URL)
    assert export.id == BOARD and export.title == "Workshop 1: Förankring" and export.tags == {"t1": "Prioritet"}
    assert {r.path for r in fake.api_requests()} == {f"/murals/{BOARD}", f"/murals/{BOARD}/widgets", f"/murals/{BOARD}/tags",
                                                     f"/murals/{BOARD}/voting-sessions"}


def test_file_source_reads_what_pull_wrote(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json")
    seed_tokens(fake, settings)
    pull(mural_config(settings), BOARD, tmp_path / "boards", client=client_for(settings))
    export = FileBoardSource(tmp_path / "boards").fetch(BOARD_URL)
    assert len(export.widgets) == 10 and export.title == "Workshop 1: Förankring"
    with pytest.raises(NotFoundError) as caught:
        FileBoardSource(tmp_path / "boards").fetch("other.123")
    assert str(tmp_path / "boards" / "other.123.json") in str(caught.value)
    assert "backbone mural pull other.123 --out" in str(caught.value)


def test_default_out_path_is_the_boards_folder(fake, tmp_path):
    settings = fake.settings(tmp_path / "token.json", boards=f"files:{tmp_path / 'saved'}")
    seed_tokens(fake, settings)
    path, _ = pull(mural_config(settings), BOARD, client=client_for(settings))
    assert path == tmp_path / "saved" / f"{BOARD}.json" and path.is_file()


def test_tokens_and_secrets_never_show_in_errors_reprs_or_logs(fake, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    settings = fake.settings(tmp_path / "token.json", http_retries=2)
    seeded = seed_tokens(fake, settings, expires_in=-60)
    client = client_for(settings)
    client.mural(BOARD)  # a refresh happened
    current = saved_tokens(settings)
    secrets = {seeded["access_token"], seeded["refresh_token"], current["access_token"], current["refresh_token"],
               settings.mural_client_secret}
    shown = [repr(client), repr(client.token_endpoint), repr(client.store), repr(client._tokens), str(client._tokens)]
    fake.deny(BOARD, 403)
    fake.fail_next(5, 503, where="api")
    for trigger in (lambda: client.mural("acme1234.777"), lambda: client.mural(BOARD), lambda: client.mural(BOARD)):
        with pytest.raises(Exception) as caught:
            trigger()
        shown += [str(caught.value), repr(caught.value)]
    fake.revoke_refresh_tokens()
    fake.expire_access_tokens()
    with pytest.raises(ConfigError) as caught:
        client.mural("acme1234.777")
    shown += [str(caught.value), repr(caught.value)]
    Path(settings.mural_token_file).write_text('{"access_token": "' + current["access_token"] + '", "expires_at": "soon"')
    with pytest.raises(ConfigError) as caught:
        TokenStore(settings.mural_token_file, MURAL).load()
    shown += [str(caught.value), repr(caught.value)]
    assert "skadad" in str(caught.value) and settings.mural_token_file in str(caught.value)
    text = "\n".join(shown) + "\n" + caplog.text
    assert caplog.records  # the logging did happen
    for secret in secrets:
        assert secret not in text
