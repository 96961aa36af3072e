"""The web page's sheet cache: a second view reads nothing, a workbook change or a sync is seen at once,
and Google is read at most once a minute (two requests) whatever the traffic."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest

from sync.adapters.sheet_cache import SheetCache
from sync.bootstrap import Backbone
from sync.core.errors import ServiceError
from sync.entry.web import create_app
from sync.settings import load_settings
from tests.fakes.sheets_api import FakeSheetsServer, load_xlsx

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "biskopsgarden"


def backbone_for(folder: Path) -> Backbone:
    return Backbone(dataclasses.replace(load_settings(folder / "settings.env", environ={})))


def rename_workshop(book_path: Path, new_title: str) -> None:
    book = openpyxl.load_workbook(book_path)
    book["Workshops"]["B3"] = new_title  # ci2's title, as a person would retype it
    book.save(book_path)


def test_a_second_view_reads_nothing_and_a_changed_workbook_is_read_again(example):
    backbone = backbone_for(example)
    client = create_app(backbone).test_client()
    assert "Collective Impact 2" in client.get("/").get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert backbone.sheet.stats.reads == 1
    rename_workshop(example / "plan.xlsx", "Workshop två – omdöpt")
    assert "Workshop två – omdöpt" in client.get("/").get_data(as_text=True)
    assert backbone.sheet.stats.reads == 2


def test_a_sync_invalidates_the_page_even_when_the_file_looks_the_same(example):
    backbone = backbone_for(example)
    client = create_app(backbone).test_client()
    client.get("/")
    backbone.sync()
    client.get("/")
    assert backbone.sheet.stats.reads == 2
    client.get("/")
    assert backbone.sheet.stats.reads == 2


class Counting:
    def __init__(self):
        self.reads, self.fail = 0, False

    def __call__(self):
        self.reads += 1
        if self.fail:
            raise ServiceError("Google Sheets is unavailable")
        return {"Workshops": [["ID"], [str(self.reads)]]}


def test_without_a_change_check_reads_are_bounded_per_minute_whatever_the_traffic():
    now = [1000.0]
    read = Counting()
    cache = SheetCache(read, min_interval=60.0, clock=lambda: now[0])
    for second in range(0, 180):  # three minutes of a view every second, and a sync every 20 s
        now[0] = 1000.0 + second
        if second % 20 == 0:
            cache.invalidate()
        cache.values()
    assert read.reads == 3  # one read (metadata + values: two requests) a minute
    now[0] += 60
    assert cache.values() == {"Workshops": [["ID"], ["4"]]}


def test_a_failing_read_counts_against_the_budget_and_is_shown_until_the_next_turn():
    now = [0.0]
    read = Counting()
    read.fail = True
    cache = SheetCache(read, min_interval=60.0, clock=lambda: now[0])
    for _ in range(10):
        with pytest.raises(ServiceError):
            cache.values()
    assert read.reads == 1
    read.fail, now[0] = False, 60.0
    assert cache.values() == {"Workshops": [["ID"], ["2"]]}


def test_a_local_change_check_reads_again_only_on_change_or_sync():
    version, read = [1], Counting()
    cache = SheetCache(read, lambda: version[0])
    cache.values(), cache.values()
    assert read.reads == 1
    version[0] = 2
    cache.values()
    cache.invalidate()
    cache.values()
    assert read.reads == 3


def test_google_sheets_get_the_once_a_minute_cache():
    class NotAWorkbook:
        name = "Google"

        def read(self):
            return {}

    cache = Backbone(load_settings(EXAMPLE / "settings.env", environ={}), sheet=NotAWorkbook()).sheet_cache
    assert cache._min_interval == Backbone.GOOGLE_READ_INTERVAL == 60.0 and cache._version is None


# --- what the page works out from the sheet: once per read, not once per view ----------------------------
def set_status(book_path: Path, action_id: str, status: str) -> None:
    book = openpyxl.load_workbook(book_path)
    tab = book["Åtgärder"]
    header = [cell.value for cell in tab[1]]
    for row in tab.iter_rows(min_row=2):
        if row[header.index("ID")].value == action_id:
            row[header.index("Status")].value = status
    book.save(book_path)


def chart_alt(page: str) -> str:
    return page.split('id="series-chart"')[1].split('alt="')[1].split('"')[0]


def test_views_and_pictures_work_the_chart_and_the_list_out_once_per_read_and_language(example):
    backbone = backbone_for(example)
    client = create_app(backbone).test_client()
    swedish = client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    for _ in range(5):
        assert client.get("/", headers={"Accept-Language": "sv"}).get_data(as_text=True) == swedish
        assert client.get("/followup/chart.png", headers={"Accept-Language": "sv"}).status_code == 200
    english = client.get("/?lang=en").get_data(as_text=True)
    for _ in range(5):
        assert client.get("/").get_data(as_text=True) == english  # the language is remembered
        assert client.get("/followup/chart.png").data.startswith(b"\x89PNG")
    cache = backbone.sheet_cache
    assert backbone.sheet.stats.reads == 1
    assert (cache.builds["chart"], cache.builds["workshop_rows"], cache.builds["in_sheet_tabs"]) == (2, 1, 1)
    assert "Collective Impact 4: 2 pågår" in chart_alt(swedish) and "Collective Impact 4" in chart_alt(english)

    # A person's edit is read on the next view, and the chart is worked out again from it.
    set_status(example / "plan.xlsx", "ci4-1", "Klar")
    changed = client.get("/?lang=sv").get_data(as_text=True)
    assert "Collective Impact 4: 1 pågår, 1 klar" in chart_alt(changed)
    assert backbone.sheet.stats.reads == 2 and cache.builds["chart"] == 3
    assert client.get("/").get_data(as_text=True) == changed
    assert backbone.sheet.stats.reads == 2 and cache.builds["chart"] == 3

    # A sync is seen on the next view too: it wrote ci2's actions from its board.
    assert "Collective Impact 2" not in chart_alt(changed).split("Till höger")[0]
    backbone.sync()
    synced = chart_alt(client.get("/").get_data(as_text=True))
    assert "Collective Impact 2: 5 ingen status angiven" in synced
    assert backbone.sheet.stats.reads == 3 and cache.builds["chart"] == 4


def test_derived_things_are_kept_per_read_and_errors_are_not_kept():
    version, read = [1], Counting()
    cache = SheetCache(read, lambda: version[0])
    built: list[str] = []

    def first_id(values):
        built.append(values["Workshops"][1][0])
        return values["Workshops"][1][0]

    assert [cache.derived(("first",), first_id) for _ in range(3)] == ["1", "1", "1"]
    assert built == ["1"] and cache.builds["first"] == 1
    version[0] = 2
    assert cache.derived(("first",), first_id) == "2"
    cache.invalidate()
    assert cache.derived(("first",), first_id) == "3"
    assert built == ["1", "2", "3"]

    def broken(values):
        built.append("broken")
        raise ServiceError("the Workshops tab is missing")

    for _ in range(2):
        with pytest.raises(ServiceError):
            cache.derived(("broken",), broken)
    assert built.count("broken") == 2 and cache.builds["broken"] == 0


def test_a_pinned_view_asks_once_whether_the_sheet_changed():
    asked, read = [], Counting()
    cache = SheetCache(read, lambda: asked.append(1) or 1)
    cache.values()
    assert len(asked) == 1  # the read notes the version it read
    with cache.pinned():
        first = cache.values()
        assert all(cache.values() is first for _ in range(3))
    assert len(asked) == 2  # one look for the four uses
    cache.values()
    assert len(asked) == 3 and read.reads == 1  # outside it every use looks again: the next view sees a change


def test_a_google_sheet_is_read_at_most_once_a_minute_however_many_look(example, private_key):
    """Issue 23: at most 2 Google requests a minute for the page, whatever the views, pictures and syncs."""
    with FakeSheetsServer("page-key", title="Plan") as fake:
        load_xlsx(fake, str(example / "plan.xlsx"))
        key_file = example / "service-account.json"
        key_file.write_text(json.dumps({"type": "service_account", "client_email": "backbone@test.iam.gserviceaccount.com",
                                        "private_key": private_key, "private_key_id": "1", "token_uri": fake.token_uri}),
                            encoding="utf-8")
        settings = dataclasses.replace(load_settings(example / "settings.env", environ={}), sheet="gsheet:page-key",
                                       google_credentials=str(key_file), sheets_api_url=fake.url)
        now = [1000.0]
        backbone = Backbone(settings, monotonic=lambda: now[0])
        client = create_app(backbone).test_client()

        page_requests: list[str] = []
        for second in range(60):  # a minute of views in both languages, each with its picture, and a sync
            now[0] = 1000.0 + second
            page = client.get("/?lang=en" if second % 2 else "/?lang=sv").get_data(as_text=True)
            assert "Collective Impact 2" in page and 'id="series-chart"' in page
            assert client.get("/followup/chart.png").status_code == 200
            page_requests += [r.path for r in fake.api_requests()]
            fake.clear_log()
            if second == 30:
                backbone.sync()  # its own reads and writes, not the page's
                fake.clear_log()
        assert page_requests == ["/v4/spreadsheets/page-key", "/v4/spreadsheets/page-key/values:batchGet"]
        assert backbone.sheet_cache.builds["chart"] == 2  # one per language, from the one read

        now[0] = 1060.0  # the next turn: the sync is seen, with one read
        synced = client.get("/?lang=sv").get_data(as_text=True)
        assert len(fake.api_requests()) == 2
        assert "Collective Impact 2: 5 ingen status angiven" in chart_alt(synced)
