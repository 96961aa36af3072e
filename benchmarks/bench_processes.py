"""Whole processes, each beside its baseline as a ratio (issue 13):

- `backbone board FILE --json` on a 200,000-sticky board vs plain Python reading that JSON with `json.load`
  and writing it back with `json.dumps(indent=2)` (target: at most 1.5x);
- a sync with nothing new on a 20,000-row workbook vs openpyxl loading and saving that workbook (target: at
  most 1.5x);
- the web page at 20,000 rows, served from its sheet cache: p50 of 50 views beside the first view, which reads
  the workbook and works out the list and the follow-up chart, as every view did before the cache (target: p50
  under 100 ms); and the chart's picture beside the first one, which draws it.

    .venv/bin/python benchmarks/bench_processes.py [stickies] [rows]

Best of three of each (this shared 2-core machine's speed swings); the baseline runs right beside its figure.
Not a test: no timing is asserted.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generated import big_board  # noqa: E402

PYTHON = sys.executable
BACKBONE = [PYTHON, "-c", "import sys; from sync.entry.cli.main import main; sys.exit(main())"]
BOARD_ID = "1620111600000"


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def best_of_three(*commands: list[str], cwd: Path) -> list[float]:
    """Each command's best of three, the commands taking turns so each figure and its baseline see the
    same load of this shared machine."""
    timings: list[list[float]] = [[] for _ in commands]
    for _ in range(3):
        for command, seen in zip(commands, timings):
            seen.append(timed(command, cwd))
    return [min(seen) for seen in timings]


def show(label: str, ours: float, baseline_label: str, baseline: float) -> None:
    def seconds(value: float) -> str:
        return f"{value:7.2f} s " if value >= 1 else f"{value * 1000:6.0f} ms" if value >= 0.01 else f"{value * 1000:6.1f} ms"
    ratio = ours / baseline
    ratio_text = f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3f}x"
    print(f"  {label:42} {seconds(ours)}   {baseline_label:38} {seconds(baseline)}   ratio {ratio_text}")


def board_json(folder: Path, stickies: int) -> None:
    path = folder / "board.json"
    path.write_text(json.dumps(big_board(stickies), ensure_ascii=False), "utf-8")
    plain = ("import json, sys; data = json.load(open(sys.argv[1], encoding='utf-8')); "
             "sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))")
    baseline, ours, outline = best_of_three(
        [PYTHON, "-c", plain, str(path)],
        BACKBONE + ["--settings", str(folder / "settings.env"), "board", str(path), "--json"],
        BACKBONE + ["--settings", str(folder / "settings.env"), "board", str(path)], cwd=folder)
    print(f"board export of {stickies:,} widgets ({path.stat().st_size / 1e6:.0f} MB):")
    show("backbone board FILE --json", ours, "plain json.load + json.dumps(indent=2)", baseline)
    show("backbone board FILE (outline)", outline, "plain json.load + json.dumps(indent=2)", baseline)


def idle_sync(folder: Path, rows: int) -> None:
    stickies = [{"id": "ex", "type": "area", "title": "Övning 1", "x": 0, "y": 0, "width": 100_000, "height": 100_000},
                {"id": "g", "type": "area", "title": "Grupp", "x": 0, "y": 0, "width": 90_000, "height": 90_000, "parentId": "ex"}]
    stickies += [{"id": f"n{n}", "type": "sticky note", "text": f"Idé {n}: relationsbyggande & tillit", "x": (n % 100) * 150,
                  "y": (n // 100) * 150, "width": 138, "height": 138, "parentId": "g", "createdOn": 1620115200000}
                 for n in range(rows)]
    for board in (folder / "boards").glob("*.json"):
        board.write_text(json.dumps(stickies, ensure_ascii=False), "utf-8")
    sync = BACKBONE + ["--settings", str(folder / "settings.env"), "sync"]
    timed(sync, folder)  # the first sync writes the rows
    book = folder / "plan.xlsx"
    plain = "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
    baseline, ours = best_of_three([PYTHON, "-c", plain, str(book), str(folder / "copy.xlsx")], sync, cwd=folder)
    print(f"sync with nothing new, workbook of {rows:,} idea rows ({book.stat().st_size / 1e6:.1f} MB):")
    show("backbone sync", ours, "openpyxl load + save", baseline)


def page_views(folder: Path, views: int = 50) -> None:
    import dataclasses
    import statistics

    from sync.bootstrap import Backbone
    from sync.entry.web import create_app
    from sync.settings import load_settings

    backbone = Backbone(dataclasses.replace(load_settings(folder / "settings.env", environ={})))
    client = create_app(backbone).test_client()

    def timings(path: str) -> list[float]:
        seen = []
        for _ in range(views + 1):
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            seen.append(time.perf_counter() - started)
        return seen

    page, picture = timings("/"), timings("/followup/chart.png")
    builds = backbone.sheet_cache.builds
    print(f"web page at the same workbook, {views} views and {views} chart pictures ({backbone.sheet.stats.reads} workbook "
          f"read, the chart worked out {builds['chart']} time(s), the list {builds['workshop_rows']}):")
    show("page view p50, from the cache", statistics.median(page[1:]), "first view (reads the workbook)", page[0])
    show("chart picture p50, kept", statistics.median(picture[1:]), "first picture (draws it)", picture[0])


def main() -> int:
    stickies = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000  # 0: leave the board out
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000  # 0: leave the sync and the page out
    with tempfile.TemporaryDirectory(prefix="backbone-bench-") as name:
        folder = Path(name) / "example"
        shutil.copytree(ROOT / "examples" / "biskopsgarden", folder)
        if stickies:
            board_json(folder, stickies)
        if rows:
            idle_sync(folder, rows)
            page_views(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
