"""The web page's sheet cache: a second view reads nothing, a workbook change or a sync is seen at once,
and Google is read at most once a minute (two requests) whatever the traffic."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from sync.app import Backbone
from sync.errors import ServiceError
from sync.settings import load_settings
from sync.web import create_app
from sync.web.sheet_cache import SheetCache

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
