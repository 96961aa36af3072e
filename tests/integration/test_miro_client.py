"""The real Miro client and board sources against the loopback fake Miro API: shapes, paging, rate limits, errors."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the fake lives in tests/, which is not an installed package
    sys.path.insert(0, str(ROOT))

from sync.adapters.miro.client import MiroClient  # noqa: E402
from sync.adapters.miro.source import BoardFiles, MiroBoardSource, miro_export_json, pull  # noqa: E402
from sync.adapters.retry import RetryPolicy  # noqa: E402
from sync.core.errors import AccessError, ConfigError, NotFoundError, ServiceError  # noqa: E402
from tests.fakes.in_memory import InMemoryState  # noqa: E402
from tests.fakes.miro_api import FakeMiro  # noqa: E402

BOARD = "uXjVOD6Xk1E="
URL = f"https://miro.com/app/board/{BOARD}/?share_link_id=1234"


def frame_with_stickies(count: int) -> list[dict]:
    items = [{"id": "f1", "type": "frame", "data": {"title": "Idéer", "format": "custom"},
              "position": {"x": 0, "y": 0, "origin": "center", "relativeTo": "canvas_center"},
              "geometry": {"width": 100_000, "height": 100_000}}]
    for n in range(count):
        items.append({"id": f"345876{n:06d}", "type": "sticky_note", "parent": {"id": "f1"},
                      "data": {"content": f"<p>Idé {n}</p>", "shape": "square"}, "style": {"fillColor": "light_yellow"},
                      "position": {"x": 100 + 250 * (n % 200), "y": 100 + 250 * (n // 200), "origin": "center",
                                   "relativeTo": "parent_top_left"},
                      "geometry": {"width": 200, "height": 230}, "tagIds": ["t1"],
                      "createdBy": {"id": "3074457", "type": "user"}, "createdAt": "2023-05-02T10:00:00Z"})
    return items


def client(fake: FakeMiro, sleeps: list[float] | None = None, tries: int = 3) -> MiroClient:
    record = sleeps if sleeps is not None else []
    return MiroClient(fake.token, fake.url, policy=RetryPolicy(tries=tries, sleep=record.append, rng=random.Random(1)),
                      sleep=record.append)


@pytest.fixture
def fake():
    with FakeMiro() as running:
        running.add_board(BOARD, frame_with_stickies(120), name="Workshop 2",
                          tags=[{"id": f"t{n}", "title": f"Tagg {n}", "fillColor": "red", "type": "tag"} for n in range(1, 61)],
                          members=[{"id": "3074457", "name": "Amira Hassan", "role": "editor", "type": "board_member"}])
        yield running


def test_the_fake_serves_the_documented_shapes(fake):
    headers = {"Authorization": f"Bearer {fake.token}"}
    first = requests.get(f"{fake.url}/v2/boards/{BOARD}/items", params={"limit": 50}, headers=headers, timeout=5)
    body = first.json()
    assert set(body) >= {"data", "total", "size", "limit", "cursor", "links"} and body["size"] == 50
    assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(first.headers)
    last = requests.get(f"{fake.url}/v2/boards/{BOARD}/items", params={"limit": 50, "cursor": "100"}, headers=headers,
                        timeout=5).json()
    assert last["size"] == 21 and "cursor" not in last
    default = requests.get(f"{fake.url}/v2/boards/{BOARD}/items", headers=headers, timeout=5).json()
    assert default["size"] == 10  # Miro's default limit
    assert requests.get(f"{fake.url}/v2/boards/{BOARD}/items", params={"limit": 51}, headers=headers, timeout=5).status_code == 400
    tags = requests.get(f"{fake.url}/v2/boards/{BOARD}/tags", params={"offset": 40}, headers=headers, timeout=5).json()
    assert (tags["offset"], tags["limit"], tags["size"], tags["total"]) == (40, 20, 20, 60) and "cursor" not in tags
    children = requests.get(f"{fake.url}/v2/boards/{BOARD}/items", params={"parent_item_id": "f1", "limit": 10},
                            headers=headers, timeout=5).json()
    assert all(i["parent"]["id"] == "f1" for i in children["data"])
    refused = requests.get(f"{fake.url}/v2/boards/{BOARD}/items", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert refused.status_code == 401 and refused.json()["type"] == "error"


def test_pull_pages_items_by_cursor_tags_by_offset_and_names_authors(fake):
    data = miro_export_json(client(fake), BOARD)
    assert len(data["items"]) == 121 and len(data["tags"]) == 60
    assert [q.get("cursor") for _, q, _ in fake.api_requests("/items")] == [None, "50", "100"]
    assert all(q["limit"] == "50" for _, q, _ in fake.api_requests("/items"))
    assert [q["offset"] for _, q, _ in fake.api_requests("/tags")] == ["0", "50"]
    board = MiroBoardSource(client(fake)).board(URL, workshop="CI2")
    notes = board.exercises[0].groups[0].notes
    assert len(notes) == 120 and notes[0].text == "Idé 0" and notes[0].author == "Amira Hassan"
    assert notes[0].tags == ("Tagg 1",) and notes[0].votes is None and notes[0].comments == ()


def test_429_and_5xx_are_retried_and_exhausted_retries_are_one_clear_error(fake):
    sleeps: list[float] = []
    fake.fail(429, times=1)
    fake.fail(503, times=1)
    assert len(client(fake, sleeps).items(BOARD)) == 121
    assert 1.0 in sleeps  # X-RateLimit-Reset: 1 on the 429
    fake.fail(500, times=5)
    with pytest.raises(ServiceError, match="3 försök"):
        client(fake, tries=3).board(BOARD)


def test_a_dropped_connection_mid_paging_is_retried_without_losing_or_repeating_an_item(fake):
    fake.page_size = 50
    fake.dropped_gets = 1
    read = client(fake).items(BOARD)
    assert [i["id"] for i in read] == [i["id"] for i in fake.boards[BOARD].items]  # 121 items, each once, in order
    assert [status for _path, _query, status in fake.api_requests("/items")] == [0, 200, 200, 200]


def test_a_long_pull_says_how_far_it_has_come_on_stderr_and_keeps_stdout_for_the_result(fake, tmp_path, capsys,
                                                                                           monkeypatch):
    from sync.entry.cli.main import main

    fake.add_board("uXjVBIG0000=", frame_with_stickies(1_200), name="Stor workshop")
    for key, value in {"BACKBONE_BOARDS": "miro", "BACKBONE_MIRO_TOKEN": fake.token, "BACKBONE_MIRO_API_URL": fake.url,
                       "BACKBONE_STATE": str(tmp_path / "state.sqlite3")}.items():
        monkeypatch.setenv(key, value)
    assert main(["miro", "pull", "uXjVBIG0000=", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == ["Miro: 500 objekt lästa hittills", "Miro: 1\u00a0000 objekt lästa hittills"]
    assert out == f"'Stor workshop' (uXjVBIG0000=): 1201 objekt, 1200 lappar -> {tmp_path / 'uXjVBIG0000=.json'}\n"


def test_a_late_answer_is_given_up_on_and_asked_again(fake):
    fake.late_gets = [1.5]  # longer than the client waits
    quick = MiroClient(fake.token, fake.url, timeout=0.5, policy=RetryPolicy(tries=3, sleep=lambda s: None))
    assert quick.board(BOARD)["name"] == "Workshop 2"


def test_a_network_that_keeps_dropping_is_one_line_and_the_saved_export_stays(fake, tmp_path):
    saved = tmp_path / f"{BOARD}.json"
    saved.write_text('{"miro": {"id": "uXjVOD6Xk1E="}, "items": [], "tags": [], "members": []}', encoding="utf-8")
    before = saved.read_bytes()
    fake.dropped_gets = 10
    with pytest.raises(ServiceError) as caught:
        pull(client(fake, tries=3), BOARD, saved, tmp_path)
    assert str(caught.value) == ("Miro gick inte att nå (GET /v2/boards/uXjVOD6Xk1E=, 3 försök); kontrollera "
                                 "nätverksanslutningen eller försök igen senare")
    assert saved.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == [saved.name]


def test_used_up_credits_wait_for_the_reset_before_the_next_request(fake):
    fake.credits_left = 1  # the first answer says Remaining 0 after it
    sleeps: list[float] = []
    client(fake, sleeps).items(BOARD)
    assert sleeps and sleeps[0] == 1.0


def test_refusals_name_what_to_do(fake):
    with pytest.raises(NotFoundError, match="uXjNOPE0000="):
        client(fake).board("uXjNOPE0000=")
    with pytest.raises(ConfigError, match="BACKBONE_MIRO_TOKEN"):
        MiroClient("wrong", fake.url, policy=RetryPolicy(tries=1)).board(BOARD)
    with pytest.raises(ConfigError, match="BACKBONE_MIRO_TOKEN"):
        MiroClient("", fake.url).board(BOARD)
    assert issubclass(AccessError, ConfigError)


def test_a_deleted_board_keeps_its_recap_from_the_archived_snapshot(fake):
    state = InMemoryState()
    source = MiroBoardSource(client(fake), archive=state, now=lambda: 1_700_000_000.0)
    live = source.board(BOARD)
    del fake.boards[BOARD]
    with pytest.raises(NotFoundError):
        source.board(BOARD)
    archived = source.archived(URL)
    assert archived is not None and archived.board.exercises == live.exercises


def test_saved_miro_and_mural_exports_side_by_side(fake, tmp_path):
    (tmp_path / f"{BOARD}.json").write_text(json.dumps(miro_export_json(client(fake), BOARD)), encoding="utf-8")
    mural = {"value": [{"id": "a1", "type": "area", "title": "Idéer", "x": 0, "y": 0, "width": 500, "height": 500},
                       {"id": "s1", "type": "sticky note", "text": "Mural idea", "x": 10, "y": 10, "width": 100,
                        "height": 100, "parentId": "a1"}]}
    (tmp_path / "acme.1620000000000.json").write_text(json.dumps(mural), encoding="utf-8")
    files = BoardFiles(tmp_path)
    assert len(files.board(URL).exercises[0].groups[0].notes) == 120
    assert files.board("acme.1620000000000").exercises[0].groups[0].notes[0].text == "Mural idea"
    with pytest.raises(NotFoundError, match="backbone miro pull"):
        files.board("uXjNOPE0000=")


def test_cli_pull_then_sync_free_reading_through_the_settings(fake, tmp_path, capsys):
    from sync.bootstrap import Backbone
    from sync.entry.cli.main import main
    from sync.settings import load_settings

    (tmp_path / "boards").mkdir()
    (tmp_path / "settings.env").write_text(f"BACKBONE_BOARDS=files:boards\nBACKBONE_MIRO_TOKEN={fake.token}\n"
                                           f"BACKBONE_MIRO_API_URL={fake.url}\nBACKBONE_STATE=state.sqlite3\n"
                                           "BACKBONE_HTTP_RETRIES=1\n", encoding="utf-8")
    assert main(["--settings", str(tmp_path / "settings.env"), "miro", "pull", URL]) == 0
    out = capsys.readouterr().out
    assert out.startswith("'Workshop 2' (uXjVOD6Xk1E=): 121 objekt, 120 lappar -> ") and fake.token not in out
    assert (tmp_path / "boards" / f"{BOARD}.json").is_file()
    assert main(["--settings", str(tmp_path / "settings.env"), "settings"]) == 0
    shown = capsys.readouterr().out
    assert "BACKBONE_MIRO_TOKEN" in shown and fake.token not in shown
    settings = load_settings(environ={}, cwd=tmp_path)
    assert len(Backbone(settings).boards.board(URL).exercises[0].groups[0].notes) == 120
    live = load_settings(environ={"BACKBONE_BOARDS": "miro"}, cwd=tmp_path)
    assert len(Backbone(live).boards.board(BOARD).exercises[0].groups[0].notes) == 120


def test_backbone_board_outlines_a_pulled_miro_file(fake, tmp_path, capsys):
    from sync.entry.cli.main import main

    out = tmp_path / "pulled.json"
    (tmp_path / "settings.env").write_text(f"BACKBONE_MIRO_TOKEN={fake.token}\nBACKBONE_MIRO_API_URL={fake.url}\n"
                                           "BACKBONE_STATE=state.sqlite3\n", encoding="utf-8")
    assert main(["--settings", str(tmp_path / "settings.env"), "miro", "pull", BOARD, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["--settings", str(tmp_path / "settings.env"), "board", str(out), "--json"]) == 0
    outline = json.loads(capsys.readouterr().out)
    assert outline["exercises"][0]["title"] == "Idéer" and len(outline["exercises"][0]["groups"][0]["notes"]) == 120
