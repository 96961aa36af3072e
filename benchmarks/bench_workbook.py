"""The workbook backend writing in place (issue 21), beside openpyxl loading and saving the same workbook:

- a sync with nothing new on a 20,000-row workbook (target: at most 0.3x openpyxl load + save);
- a sync with 1 % of the rows changed on the board (target: at most 0.5x);
- where the time goes: the workbook's read (calamine), its write (lxml over backbone's tabs, the package
  copied part by part), and the rest of the run (boards, plan, state);
- peak memory of the write with a 200,000-row tab of people's added, beside the write without it.

    .venv/bin/python benchmarks/bench_workbook.py [rows]

Best of three, taking turns with the baseline (this machine is shared). Not a test: no timing is asserted.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from sync.adapters.xlsx.workbook_sheet import WorkbookSheet  # noqa: E402
from sync.bootstrap import Backbone  # noqa: E402
from sync.settings import load_settings  # noqa: E402


class TimedSheet(WorkbookSheet):
    """The real backend, timing its reads and its write."""

    def __init__(self, path):
        super().__init__(path)
        self.seconds = {"read": 0.0, "write": 0.0}
        self.written = 0

    def _timed(self, key, work):
        started = time.perf_counter()
        try:
            return work()
        finally:
            self.seconds[key] += time.perf_counter() - started

    def read(self):
        return self._timed("read", super().read)

    def read_workshops(self):
        return self._timed("read", super().read_workshops)

    def apply(self, write):
        self.written += len(write.cells)
        parent = super()
        return self._timed("write", lambda: parent.apply(write))


def board(rows: int, edited: set[int]) -> list[dict]:
    out = [{"id": "ex", "type": "area", "title": "Övning 1", "x": 0, "y": 0, "width": 100_000, "height": 100_000},
           {"id": "g", "type": "area", "title": "Grupp", "x": 0, "y": 0, "width": 90_000, "height": 90_000, "parentId": "ex"}]
    out += [{"id": f"n{n}", "type": "sticky note", "text": f"Idé {n}: relationsbyggande & tillit" + (" (ändrad)" if n in edited else ""),
             "x": (n % 100) * 150, "y": (n // 100) * 150, "width": 138, "height": 138, "parentId": "g",
             "createdOn": 1620115200000} for n in range(rows)]
    return out


def sync(folder: Path) -> tuple[float, TimedSheet]:
    settings = load_settings(folder / "settings.env", environ={})
    sheet = TimedSheet(folder / "plan.xlsx")
    started = time.perf_counter()
    Backbone(settings, sheet=sheet).sync()
    return time.perf_counter() - started, sheet


def openpyxl_load_save(book: Path, copy: Path) -> float:
    started = time.perf_counter()
    openpyxl.load_workbook(book).save(copy)
    return time.perf_counter() - started


def write_boards(folder: Path, rows: int, edited: set[int]) -> None:
    for path in (folder / "boards").glob("*.json"):
        path.write_text(json.dumps(board(rows, edited), ensure_ascii=False), "utf-8")


def peak_of_write(folder: Path) -> tuple[int, int]:
    """(peak bytes traced, cells) of one write of a Synklogg row through the backend."""
    from sync.ports import CellWrite, SheetWrite
    sheet = WorkbookSheet(folder / "plan.xlsx")
    values = sheet.read()
    row = len(values["Synklogg"])
    tracemalloc.start()
    sheet.apply(SheetWrite(cells=(CellWrite("Synklogg", row, 0, "bench"),)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, 1


def with_peoples_tab(book: Path, rows: int) -> None:
    """A big tab of people's added to the workbook (openpyxl, before the in-place writer meets it)."""
    loaded = openpyxl.load_workbook(book)
    tab = loaded.create_sheet("Folkbokföring")
    for n in range(rows):
        tab.append([f"Person {n}", "Stadsdel", n, "anteckning"])
    loaded.save(book)


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    edited = set(range(0, rows, 100))  # 1 %
    with tempfile.TemporaryDirectory(prefix="backbone-bench-") as name:
        folder = Path(name) / "example"
        shutil.copytree(ROOT / "examples" / "biskopsgarden", folder)
        write_boards(folder, rows, set())
        first, _ = sync(folder)
        book = folder / "plan.xlsx"
        print(f"workbook of {rows:,} idea rows ({book.stat().st_size / 1e6:.1f} MB); the first sync wrote them in {first:.2f} s")

        idle: list[tuple[float, TimedSheet]] = []
        changed: list[tuple[float, TimedSheet]] = []
        baseline: list[float] = []
        for _turn in range(3):
            baseline.append(openpyxl_load_save(book, folder / "copy.xlsx"))
            write_boards(folder, rows, set())
            sync(folder)  # back to the unedited board (not timed)
            idle.append(sync(folder))
            write_boards(folder, rows, edited)
            changed.append(sync(folder))
        base = min(baseline)
        print(f"  openpyxl load + save (baseline)            {base:7.2f} s")
        for label, runs, target in (("sync, nothing new", idle, 0.3), ("sync, 1 % of rows changed", changed, 0.5)):
            seconds, sheet = min(runs, key=lambda r: r[0])
            rest = seconds - sheet.seconds["read"] - sheet.seconds["write"]
            print(f"  {label:42} {seconds:7.2f} s   ratio {seconds / base:.2f}x (target {target}x); "
                  f"read {sheet.seconds['read']:.2f} s, write {sheet.seconds['write']:.2f} s ({sheet.written} cells), "
                  f"boards + plan + state {rest:.2f} s")
            backend = sheet.seconds["read"] + sheet.seconds["write"]
            print(f"  {'  the workbook backend alone':42} {backend:7.2f} s   ratio {backend / base:.2f}x")

        small_peak, _ = peak_of_write(folder)
        with_peoples_tab(book, 200_000)
        big_peak, _ = peak_of_write(folder)
        print(f"  peak memory of a write (Python allocations): {small_peak / 1e6:.1f} MB; with a 200,000-row tab of "
              f"people's added ({book.stat().st_size / 1e6:.1f} MB file): {big_peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
