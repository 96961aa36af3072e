"""A workbook open in Excel (its lock file ~$plan.xlsx beside it, or the system refusing the save): a sync finds
out before it writes anything, says so, and waits a bounded time for it to be closed (BACKBONE_WORKBOOK_WAIT)
instead of failing the night at the first look. The waiting is a fake clock's: nothing here sleeps."""
from __future__ import annotations

import dataclasses
import errno
from pathlib import Path

import pytest

from sync.adapters.xlsx import workbook_sheet as workbook_module
from sync.bootstrap import Backbone
from sync.core.errors import SheetInUse
from sync.entry.cli.main import main
from sync.entry.web import create_app
from sync.settings import load_settings


class FakeSleep:
    """Records each pause; after `closes_after` pauses the person closes Excel (its lock file goes)."""

    def __init__(self, lock: Path | None = None, closes_after: int | None = None):
        self.lock, self.closes_after, self.pauses = lock, closes_after, []

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        if self.lock is not None and self.closes_after is not None and len(self.pauses) >= self.closes_after:
            self.lock.unlink(missing_ok=True)


def app_on(example: Path, sleep: FakeSleep, minutes: float = 30) -> Backbone:
    settings = load_settings(example / "settings.env", environ={})
    return Backbone(dataclasses.replace(settings, workbook_wait=minutes), sleep=sleep)


def open_in_excel(example: Path) -> Path:
    lock = example / "~$plan.xlsx"
    lock.write_bytes(b"\x0bAnna Berg")  # what Excel writes: who has it open
    return lock


def test_without_waiting_the_open_workbook_is_said_before_anything_is_written(example, capsys, monkeypatch):
    monkeypatch.chdir(example)
    monkeypatch.setenv("BACKBONE_WORKBOOK_WAIT", "0")
    open_in_excel(example)
    before = (example / "plan.xlsx").read_bytes()
    assert main(["sync"]) == 2
    err = capsys.readouterr().err
    assert "skriver" not in err and "celler" not in err  # no "skriver 8 celler…" before the failure
    assert err.strip().splitlines()[-1] == (f"backbone: fel: {example / 'plan.xlsx'}: arbetsboken är öppen i Excel eller "
                                            "LibreOffice (~$plan.xlsx); stäng den och kör igen")
    assert (example / "plan.xlsx").read_bytes() == before


def test_the_night_waits_for_excel_to_be_closed_then_syncs(example):
    lock = open_in_excel(example)
    sleep = FakeSleep(lock, closes_after=3)
    lines: list[str] = []
    result = app_on(example, sleep).sync(progress=lambda line: lines.append(str(line)))
    assert result.result == "ok" and result.counts()["new"] == 35
    assert sleep.pauses == [30, 30, 30]  # looked again every 30 s until it was closed
    said = "\n".join(lines)
    assert (f"{example / 'plan.xlsx'} används av ett annat program (~$plan.xlsx); väntar upp till 30 min på att den "
            "stängs (BACKBONE_WORKBOOK_WAIT), inget skrivs under tiden") in said
    assert said.index("väntar upp till") < said.index("läser alla flikar") < said.index("skriver ")
    assert f"{example / 'plan.xlsx'} är ledig igen; synkar" in said


def test_the_night_gives_up_after_the_limit_and_says_so(example):
    lock = open_in_excel(example)
    sleep = FakeSleep()
    app = app_on(example, sleep, minutes=2)
    lines: list[str] = []
    with pytest.raises(SheetInUse) as caught:
        app.sync(progress=lambda line: lines.append(str(line)))
    assert str(caught.value) == (f"{example / 'plan.xlsx'} användes fortfarande (~$plan.xlsx) efter 2 min väntan; inget "
                                 "skrevs: stäng den och kör synken igen")
    assert caught.value.exit_code == 2
    assert sum(sleep.pauses) == 120 and len(sleep.pauses) == 4  # bounded: 2 minutes in 30-second looks
    assert not any("skriver" in line for line in lines)
    run = app.state.runs(1)[0]  # a failed night, recorded and shown as such
    assert run.result == "failed" and "efter 2 min väntan" in run.message
    assert create_app(app).test_client().get("/health").get_json()["status"] == "failing"
    assert lock.exists()


def test_a_save_the_system_refuses_is_waited_out_too(example, monkeypatch):
    real = workbook_module._swap
    refusals = []

    def excel_holds_it_once(temporary: Path, target: Path) -> None:  # Windows: replacing a file Excel has open
        if not refusals:
            refusals.append(target)
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        real(temporary, target)

    monkeypatch.setattr(workbook_module, "_swap", excel_holds_it_once)
    sleep = FakeSleep()
    lines: list[str] = []
    result = app_on(example, sleep).sync(progress=lambda line: lines.append(str(line)))
    assert result.result == "ok" and sleep.pauses == [30] and refusals
    assert any("används av ett annat program (åtkomst nekad); väntar upp till 30 min" in line for line in lines)
    assert not [p for p in example.iterdir() if p.name.endswith(".tmp")]  # the refused save left nothing behind


def test_a_refused_save_without_waiting_is_one_line(example, monkeypatch, capsys):
    monkeypatch.chdir(example)
    monkeypatch.setenv("BACKBONE_WORKBOOK_WAIT", "0")

    def refused(temporary: Path, target: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(workbook_module, "_swap", refused)
    assert main(["sync"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"backbone: fel: {example / 'plan.xlsx'}: arbetsboken kunde inte ersättas (åtkomst nekad): den kan vara öppen i "
        "Excel, eller så går det inte att skriva i mappen; stäng den, eller kontrollera mappens rättigheter, och kör igen")
