"""The Google Sheets backend against the fake Sheets API: the real gspread client, the real service-account
sign-in (a throwaway RSA key, token_uri pointing at the fake), request counts, retries and error lines."""
from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync.adapters.gsheets import GoogleSheet
from sync.adapters.retry import RetryPolicy
from sync.bootstrap import Backbone
from sync.core import i18n
from sync.core.errors import AccessError, ConfigError, ServiceError
from sync.ports import CellWrite, SheetWrite
from sync.settings import Settings
from tests.fakes.sheets_api import FakeSheetsServer

KEY = "1plan-Key_for-Tests"
EMAIL = "backbone-sync@backbone-test.iam.gserviceaccount.com"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeSheetsServer]:
    with FakeSheetsServer(KEY, title="Plan") as server:
        yield server


@pytest.fixture
def key_info(fake: FakeSheetsServer, private_key: str) -> dict:
    return {"type": "service_account", "project_id": "backbone-test", "private_key_id": "0123456789abcdef",
            "private_key": private_key, "client_email": EMAIL, "client_id": "1234567890",
            "token_uri": fake.token_uri}


@pytest.fixture
def key_file(tmp_path: Path, key_info: dict) -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(key_info), encoding="utf-8")
    return path


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make(fake: FakeSheetsServer, key_file: Path, sleeps: list[float]):
    def build(spreadsheet: str = KEY, tries: int = 5, timeout: float = 5.0) -> GoogleSheet:
        policy = RetryPolicy(tries=tries, sleep=sleeps.append, rng=random.Random(1))
        return GoogleSheet(spreadsheet, key_file, api_url=fake.url, timeout=timeout, retry=policy)
    return build


def seed(fake: FakeSheetsServer) -> None:
    fake.set_values("Workshops", [["ID", "Titel", "Datum"], ["w1", "Kick-off", "2024-05-02"], [], ["w2", "Uppföljning"]])
    fake.set_values("Idéer", [["ID", "Workshop", "Text"], ["i1", "w1", "Fler mötesplatser"]])
    fake.set_values("Anteckningar", [["not", "a", "schema", "tab"]])
    fake.set_values("Åtgärder", [["ID", "Workshop", "Hållplats", "Hur"], ["a1", "w1", "Karta", 3]], rows_count=5, cols_count=7)


def calls(fake: FakeSheetsServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.api_requests()]


BASE = f"/v4/spreadsheets/{KEY}"


# --- reads ----------------------------------------------------------------------------------------------
def test_read_is_one_metadata_read_and_one_batch_get_of_every_tab(fake, make):
    seed(fake)
    sheet = make()

    values = sheet.read()

    assert values == {
        "Workshops": [["ID", "Titel", "Datum"], ["w1", "Kick-off", "2024-05-02"], [], ["w2", "Uppföljning"]],
        "Idéer": [["ID", "Workshop", "Text"], ["i1", "w1", "Fler mötesplatser"]],
        "Åtgärder": [["ID", "Workshop", "Hållplats", "Hur"], ["a1", "w1", "Karta", "3"]],
        "Sheet1": [], "Anteckningar": [["not", "a", "schema", "tab"]],  # every tab: a renamed Idéer is found by content
    }
    assert calls(fake) == [("GET", BASE), ("GET", f"{BASE}/values:batchGet")]
    batch_get = fake.api_requests()[1]
    assert batch_get.query["ranges"] == ["'Sheet1'", "'Workshops'", "'Idéer'", "'Anteckningar'", "'Åtgärder'"]
    assert batch_get.query["valueRenderOption"] == ["FORMATTED_VALUE"]
    assert (sheet.stats.reads, sheet.stats.writes) == (2, 0)
    # Signed in once, as the service account, with the spreadsheets scope only.
    assert [c["iss"] for c in fake.sign_ins] == [EMAIL]
    assert fake.sign_ins[0]["scope"] == "https://www.googleapis.com/auth/spreadsheets"
    assert [r.path for r in fake.requests].count("/token") == 1  # the key file's token_uri was used


def test_a_spreadsheet_address_works_as_well_as_a_key(fake, make):
    seed(fake)
    sheet = make(f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0")
    assert sheet.key == KEY
    assert "Workshops" in sheet.read()


def test_built_from_settings(fake, key_file):
    seed(fake)
    settings = Settings(sheet=f"gsheet:{KEY}", google_credentials=str(key_file), sheets_api_url=fake.url, http_timeout=5)
    assert "Workshops" in Backbone(settings).sheet.read()


def test_the_workshops_tab_comes_inside_the_metadata_read_and_the_next_read_reuses_it(fake, make):
    seed(fake)
    sheet = make()

    assert sheet.read_workshops() == {"Workshops": [["ID", "Titel", "Datum"], ["w1", "Kick-off", "2024-05-02"], [],
                                                    ["w2", "Uppföljning"]]}
    get = fake.api_requests()[0]
    assert (get.query["includeGridData"], get.query["ranges"]) == (["true"], ["'Workshops'"])
    assert "protectedRanges" in get.query["fields"][0]  # only what the sync reads comes back
    assert set(sheet.read()) == {"Sheet1", "Workshops", "Idéer", "Anteckningar", "Åtgärder"}
    assert calls(fake) == [("GET", BASE), ("GET", f"{BASE}/values:batchGet")]


def test_read_of_a_new_spreadsheet_reads_its_one_empty_tab(fake, make):
    sheet = make()
    assert sheet.read() == {"Sheet1": []}
    assert calls(fake) == [("GET", BASE), ("GET", f"{BASE}/values:batchGet")]


# --- writes -----------------------------------------------------------------------------------------------
def test_apply_creating_tabs_and_growing_a_grid_is_two_write_requests(fake, make):
    seed(fake)
    sheet = make()
    sheet.read()
    fake.clear_log()
    header = ["Start", "Slut", "Resultat"]
    cells = (
        *(CellWrite("Synklogg", 0, c, v) for c, v in enumerate(header)),
        *(CellWrite("Synklogg", 1, c, v) for c, v in enumerate(["10:00", "10:01", "ok"])),
        CellWrite("Deltagare", 0, 0, "Namn"),
        CellWrite("Åtgärder", 1, 4, "snart"),  # inside the 5 x 7 grid
        CellWrite("Åtgärder", 11, 0, "a2"),  # row 12: past the 5 rows
        CellWrite("Åtgärder", 11, 8, 4.5),  # column I: past the 7 columns
    )

    sheet.apply(SheetWrite(new_tabs=("Synklogg", "Deltagare"), cells=cells))

    assert calls(fake) == [("POST", f"{BASE}:batchUpdate"), ("POST", f"{BASE}/values:batchUpdate")]
    structure = fake.api_requests()[0].body["requests"]
    assert [next(iter(r)) for r in structure][:3] == ["addSheet", "addSheet", "updateSheetProperties"]
    assert {next(iter(r)) for r in structure[3:]} <= {"updateSheetProperties", "addProtectedRange", "setDataValidation",
                                                      "createDeveloperMetadata"}  # the guides, in the same request
    values_body = fake.api_requests()[1].body
    assert values_body["valueInputOption"] == "RAW" and values_body["includeValuesInResponse"] is True
    ranges = [d["range"] for d in values_body["data"]]
    # One block per tab from A1 to the grid's end (nulls where nothing is written): the answer shows where it landed.
    assert ranges == ["'Synklogg'!A1:C1000", "'Deltagare'!A1:A1000", "'Åtgärder'!A1:I112"]
    atgarder = values_body["data"][2]["values"]
    assert atgarder[1] == [None, None, None, None, "snart"] and atgarder[11] == ["a2"] + [None] * 7 + [4.5]
    assert (sheet.stats.writes, sheet.stats.cells_written) == (2, 10)
    assert fake.values("Synklogg") == [header, ["10:00", "10:01", "ok"]]
    assert fake.values("Åtgärder")[11] == ["a2", "", "", "", "", "", "", "", "4.5"]
    rows, cols = fake.grid("Åtgärder")
    assert rows >= 12 and cols >= 9
    assert fake.titles() == ["Sheet1", "Workshops", "Idéer", "Anteckningar", "Åtgärder", "Synklogg", "Deltagare"]


def test_apply_with_only_cells_is_one_request(fake, make):
    seed(fake)
    sheet = make()
    sheet.read()
    fake.clear_log()

    sheet.apply(SheetWrite(cells=(CellWrite("Idéer", 1, 2, "Fler bänkar"), CellWrite("Idéer", 2, 0, "i2"))))
    assert calls(fake) == [("POST", f"{BASE}:batchUpdate"), ("POST", f"{BASE}/values:batchUpdate")]  # guides, once
    assert fake.spreadsheet(KEY).sheet("Idéer").frozen_rows == 1

    sheet.read()
    fake.clear_log()
    sheet.apply(SheetWrite(cells=(CellWrite("Idéer", 2, 2, "Läxhjälp"),)))

    assert calls(fake) == [("POST", f"{BASE}/values:batchUpdate")]
    assert fake.values("Idéer")[1:] == [["i1", "w1", "Fler bänkar"], ["i2", "", "Läxhjälp"]]
    assert sheet.stats.cells_written == 3


def test_apply_on_a_tab_made_since_the_read_does_not_make_it_twice(fake, make):
    seed(fake)
    sheet = make()
    sheet.read()
    fake.set_values("Synklogg", [["Start"]])  # someone made it in the meantime
    fake.clear_log()

    sheet.apply(SheetWrite(new_tabs=("Synklogg",), cells=(CellWrite("Synklogg", 1, 0, "10:00"),)))

    assert fake.values("Synklogg") == [["Start"], ["10:00"]]
    assert fake.titles().count("Synklogg") == 1
    # addSheet is refused ("already exists"), the tabs are read again, and the cells are written.
    assert [(r.method, r.path, r.status) for r in fake.api_requests()] == [
        ("POST", f"{BASE}:batchUpdate", 400), ("GET", BASE, 200), ("POST", f"{BASE}/values:batchUpdate", 200)]


def test_empty_write_sends_nothing(fake, make):
    make().apply(SheetWrite())
    assert fake.requests == []


def test_text_stays_text_and_numbers_stay_numbers(fake, make):
    seed(fake)
    sheet = make()
    texts = ['=HYPERLINK("http://x","y")', "2020-01-01", "0123", "'citat", "+46 70 123"]
    cells = tuple(CellWrite("Idéer", 1 + i, 2, t) for i, t in enumerate(texts)) + (
        CellWrite("Idéer", 1, 3, 3), CellWrite("Idéer", 2, 3, 2.5))

    sheet.apply(SheetWrite(cells=cells))

    read = sheet.read()["Idéer"]
    assert [row[2] for row in read[1:]] == texts
    assert [read[1][3], read[2][3]] == ["3", "2.5"]
    typed = fake.values("Idéer", render="UNFORMATTED_VALUE")
    assert [row[2] for row in typed[1:]] == texts  # stored as text, not a formula, date or number
    assert [typed[1][3], typed[2][3]] == [3, 2.5]  # JSON numbers


def test_the_fake_would_catch_user_entered(fake):
    """The fake tells RAW from USER_ENTERED, so a backend regression to USER_ENTERED fails the test above."""
    token = fake.issue_token()
    requests.put(f"{fake.url}{BASE}/values/Sheet1!A1?valueInputOption=USER_ENTERED",
                 json={"values": [['=HYPERLINK("http://x","y")', "2020-01-01", "0123"]]},
                 headers={"Authorization": f"Bearer {token}"}, timeout=5).raise_for_status()
    assert fake.values("Sheet1") == [["y", "2020-01-01", "123"]]
    assert fake.values("Sheet1", render="UNFORMATTED_VALUE") == [["y", 43831, 123]]


# --- retries ----------------------------------------------------------------------------------------------
def test_429_with_retry_after_is_retried_after_that_wait(fake, make, sleeps):
    seed(fake)
    fake.fail_next(429, retry_after=7)
    sheet = make()

    assert "Workshops" in sheet.read()

    assert sleeps == [7.0]
    assert calls(fake) == [("GET", BASE), ("GET", BASE), ("GET", f"{BASE}/values:batchGet")]
    assert sheet.stats.extra["retries"] == 1
    assert sheet.stats.reads == 3


def test_500_is_retried(fake, make, sleeps):
    seed(fake)
    fake.fail_next(500, path="values:batchGet")
    sheet = make()

    assert "Workshops" in sheet.read()

    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 0.5  # jittered, within the first backoff step
    assert calls(fake)[-2:] == [("GET", f"{BASE}/values:batchGet")] * 2


def test_a_dropped_write_is_never_sent_again_by_position_but_settled_by_id(fake, make, sleeps):
    seed(fake)
    sheet = make()
    sheet.read()
    fake.drop_next(path="values:batchUpdate")
    fake.clear_log()

    sheet.apply(SheetWrite(cells=(CellWrite("Idéer", 2, 0, "i2"), CellWrite("Idéer", 1, 2, "Fler bänkar"))))

    # the write, a pause of twice the timeout for a late landing, a read, the write by the rows' positions now, a check
    assert [(r.method, r.path.rsplit("/", 1)[-1], r.status) for r in fake.api_requests() if "values" in r.path] == [
        ("POST", "values:batchUpdate", None), ("GET", "values:batchGet", 200), ("POST", "values:batchUpdate", 200),
        ("GET", "values:batchGet", 200)]
    assert sleeps == [10.0]
    assert fake.values("Idéer")[1:] == [["i1", "w1", "Fler bänkar"], ["i2"]]
    assert not sheet.settled()  # Google may still apply it: the next run checks its intents first


def test_a_write_applied_then_dropped_is_not_written_twice(fake, make, sleeps):
    seed(fake)
    sheet = make()
    sheet.read()
    fake.apply_then_drop(path="values:batchUpdate")
    fake.clear_log()

    sheet.apply(SheetWrite(cells=(CellWrite("Idéer", 2, 0, "i2"), CellWrite("Idéer", 2, 2, "Läxhjälp"))))

    assert fake.values("Idéer")[1:] == [["i1", "w1", "Fler mötesplatser"], ["i2", "", "Läxhjälp"]]
    assert [r.method for r in fake.api_requests() if "values" in r.path] == ["POST", "GET"]  # seen in place: nothing to write


def test_slow_answer_times_out_and_is_retried(fake, make, sleeps):
    seed(fake)
    fake.slow_next(3.0)
    sheet = make(timeout=1.0)  # wide margins: the retried read must answer within it on a busy machine too

    assert "Workshops" in sheet.read()
    assert len(sleeps) == 1


def test_retries_are_bounded(fake, make, sleeps):
    seed(fake)
    fake.fail_next(500, times=100)
    sheet = make(tries=3)

    with pytest.raises(ServiceError) as caught:
        sheet.read()

    assert caught.value.status == 500
    assert "500" in str(caught.value) and "3 försök" in str(caught.value)
    assert len(fake.api_requests()) == 3
    assert len(sleeps) == 2


def test_429_that_never_ends_is_a_service_error(fake, make, sleeps):
    fake.fail_next(429, times=100, retry_after=1)
    with pytest.raises(ServiceError) as caught:
        make(tries=2).read()
    assert caught.value.status == 429
    assert sleeps == [1.0]


# --- errors -------------------------------------------------------------------------------------------------
def test_not_shared_is_an_access_error_naming_the_service_account(fake, make):
    fake.deny()
    with pytest.raises(AccessError) as caught:
        make().read()
    assert str(caught.value) == (f"kalkylarket {KEY} är inte delat med tjänstekontot {EMAIL}; "
                                 "dela det med den adressen som redigerare")


def test_unknown_spreadsheet_is_a_config_error_naming_the_key(fake, make):
    with pytest.raises(ConfigError) as caught:
        make("no-such-spreadsheet").read()
    assert "no-such-spreadsheet" in str(caught.value) and "404" in str(caught.value)


def test_missing_key_file_is_a_config_error_naming_it(fake, tmp_path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(ConfigError) as caught:
        GoogleSheet(KEY, missing, api_url=fake.url)
    assert str(caught.value) == f"{missing}: tjänstekontots nyckelfil från Google finns inte (BACKBONE_GOOGLE_CREDENTIALS)"
    with i18n.speaking("en"), pytest.raises(ConfigError) as caught:
        GoogleSheet(KEY, missing, api_url=fake.url)
    assert str(caught.value) == f"{missing}: the Google service-account key file does not exist (BACKBONE_GOOGLE_CREDENTIALS)"
    assert fake.requests == []


@pytest.mark.parametrize("content, says", [
    ("{not json", "tjänstekontots nyckelfil från Google är inte JSON"),
    (json.dumps({"type": "authorized_user", "client_id": "x"}),
     "inte en nyckelfil för ett tjänstekonto hos Google (väntade \"type\": \"service_account\" med client_email, "
     "private_key och token_uri; saknar client_email, private_key, token_uri)"),
    (json.dumps({"type": "service_account", "client_email": EMAIL, "token_uri": "http://127.0.0.1:9/token",
                 "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}),
     "private_key i tjänstekontots nyckelfil går inte att läsa"),
])
def test_unusable_key_file_is_a_config_error_naming_it(fake, tmp_path, content, says):
    path = tmp_path / "key.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        GoogleSheet(KEY, path, api_url=fake.url)
    assert str(path) in str(caught.value) and says in str(caught.value)
    assert "AAAA" not in str(caught.value)


def test_refused_sign_in_is_an_access_error_without_secrets(fake, make, private_key):
    fake.fail_next(400, path="/token")
    with pytest.raises(AccessError) as caught:
        make().read()
    message = str(caught.value)
    assert EMAIL in message and fake.token_uri in message and "invalid_grant" in message
    assert "PRIVATE KEY" not in message and private_key.splitlines()[1] not in message
    assert fake.api_requests() == []


def test_unreachable_sign_in_endpoint_is_retried_then_a_config_error(fake, tmp_path, key_info, sleeps):
    key_info["token_uri"] = "http://127.0.0.1:1/token"  # nothing listens on port 1
    path = tmp_path / "key.json"
    path.write_text(json.dumps(key_info), encoding="utf-8")
    sheet = GoogleSheet(KEY, path, api_url=fake.url, retry=RetryPolicy(tries=3, sleep=sleeps.append))

    with pytest.raises(ConfigError) as caught:
        sheet.read()

    assert "http://127.0.0.1:1/token" in str(caught.value) and "3 försök" in str(caught.value)
    assert len(sleeps) == 2 and fake.requests == []


def test_expired_token_is_renewed(fake, make):
    seed(fake)
    sheet = make()
    sheet.read()
    fake.expire_tokens()

    assert "Workshops" in sheet.read()
    assert len(fake.sign_ins) == 1  # the first token's claims were dropped with it; one new sign-in
    assert [r.status for r in fake.requests if r.path == "/token"] == [200, 200]


def test_plain_http_api_url_is_refused_off_this_machine(key_file):
    with pytest.raises(ConfigError) as caught:
        GoogleSheet(KEY, key_file, api_url="http://sheets.example.org")
    assert "BACKBONE_SHEETS_API_URL" in str(caught.value)


def test_no_per_cell_update_calls_in_sync_or_reports():
    """update_cell/update_acell send one USER_ENTERED request per cell: formulas would run, dates convert.

    ruff's banned-api rule (pyproject.toml) catches `Worksheet.update_cell` by its import path, but not a call
    on a worksheet object (`ws.update_cell(...)`): ruff does not infer types, so this grep stays."""
    pattern = re.compile(r"\.update_a?cell\(")
    offenders = [f"{path.relative_to(REPO)}:{n}"
                 for folder in ("sync", "reports") if (REPO / folder).is_dir()
                 for path in (REPO / folder).rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []
