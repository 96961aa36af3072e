"""`backbone board BIG --json` on a 200,000-sticky MURAL export (issue 23), beside plain Python in the same run.

The export is generated (benchmarks/generated.py `mural_export`, seeded): every widget with the fields MURAL sends,
half the stickies placed only by geometry (no parentId) inside areas and drawn boxes. The command runs in-process
through the CLI entry, `sync.entry.cli.main.main(["board", FILE, "--json"])`: reading the export, normalising the
board, writing the JSON (orjson). Its output and the baselines' go to the same sink (os.devnull, UTF-8 text).

Baselines, each beside the command in every round:
- `json.load` + `json.dumps` (compact: the C encoder) of the same file — the stricter one; targets: at most 1.5x,
  and at most 1.0x since the output is written with orjson;
- `json.load` + `json.dumps(indent=2)`, the same layout as the command's output (the pure-Python encoder).

    .venv/bin/python benchmarks/bench_board_json.py [stickies] [rounds] [--profile]

Best of `rounds` (default 3), the runs taking turns so each figure and its baseline see the same load of this shared
2-core machine. --profile prints where one run of the command spends its time (cProfile). Not a test: no timing
is asserted.
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generated import mural_export  # noqa: E402


def baseline(path: Path, sink, indent: int | None) -> None:
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    sink.write(json.dumps(data, ensure_ascii=False, indent=indent))


def command(path: Path, sink) -> None:
    from sync.entry.cli.main import main

    with contextlib.redirect_stdout(sink):
        code = main(["board", str(path), "--json"])
    if code:
        raise SystemExit(f"backbone board exited with {code}")


def timed(run: Callable[[], None]) -> float:
    gc.collect()  # the previous run's garbage is not this run's cost
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def check_output(path: Path, folder: Path, stickies: int) -> None:
    """The command did the whole work: every sticky is in the JSON it printed, grouped (only the rest unsorted)."""
    out = folder / "board.out.json"
    with open(out, "w", encoding="utf-8") as sink:
        command(path, sink)
    board = json.loads(out.read_text("utf-8"))
    notes = sum(len(g["notes"]) for e in board["exercises"] for g in e["groups"])
    in_actions = sum(len(a["note_ids"]) for a in board["actions"])
    rest = stickies % (20 * 11)  # mural_export puts what does not divide among its 220 groups outside every area
    if notes + in_actions + len(board["unsorted"]) != stickies or len(board["unsorted"]) != rest:
        raise SystemExit(f"unexpected board: {notes} notes in groups, {in_actions} in actions, {len(board['unsorted'])} unsorted")
    out.unlink()


def profile(path: Path) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        profiler.runcall(command, path, sink)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    stickies = int(args[0]) if args else 200_000
    rounds = int(args[1]) if len(args) > 1 else 3
    started_in = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="backbone-bench-") as name:
        folder = Path(name)
        os.chdir(folder)  # no settings file here: the defaults, as for anyone reading a saved export
        try:
            best, size, widgets, unparented = measure(folder, stickies, rounds)
        finally:
            os.chdir(started_in)  # make bench runs the next benchmark in this process
    if best is None:
        return 0
    print(f"board export: {stickies:,} stickies ({unparented:,} without parentId, placed by geometry), {widgets:,} widgets, "
          f"{size / 1e6:.0f} MB; best of {rounds}")
    show("backbone board FILE --json", best["ours"], "json.load + json.dumps (compact)", best["compact"],
         "target <= 1.0x with orjson output, <= 1.5x without")
    show("backbone board FILE --json", best["ours"], "json.load + json.dumps(indent=2)", best["indent"], "same layout")
    return 0


def measure(folder: Path, stickies: int, rounds: int) -> tuple[dict[str, float] | None, int, int, int]:
    """The best time of each run (None with --profile), the export's size in bytes, its widgets and unparented stickies."""
    path = folder / f"{stickies}.json"
    export = mural_export(stickies)
    widgets = len(export["value"])
    unparented = sum(1 for w in export["value"] if w["type"] == "sticky note" and not w["parentId"])
    path.write_text(json.dumps(export, ensure_ascii=False), "utf-8")
    size = path.stat().st_size
    del export
    check_output(path, folder, stickies)
    if "--profile" in sys.argv:
        profile(path)
        return None, size, widgets, unparented
    with open(os.devnull, "w", encoding="utf-8") as sink:
        runs: dict[str, Callable[[], None]] = {
            "compact": lambda: baseline(path, sink, None),
            "ours": lambda: command(path, sink),
            "indent": lambda: baseline(path, sink, 2),
        }
        seen: dict[str, list[float]] = {key: [] for key in runs}
        for _ in range(rounds):
            for key, run in runs.items():
                seen[key].append(timed(run))
    return {key: min(values) for key, values in seen.items()}, size, widgets, unparented


def show(label: str, ours: float, baseline_label: str, base: float, note: str) -> None:
    print(f"  {label:28} {ours:6.2f} s   {baseline_label:34} {base:6.2f} s   ratio {ours / base:.2f}x   ({note})")


if __name__ == "__main__":
    sys.exit(main())
