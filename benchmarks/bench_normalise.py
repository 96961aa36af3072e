"""Normalisation throughput on a generated 20,000-widget board (target: >= 50,000 widgets/s).

    .venv/bin/python benchmarks/bench_normalise.py [widgets]

Best of seven runs (as timeit reports), since this shared 2-core machine's speed swings by a
quarter from one second to the next (a plain Python loop measured 0.43-0.55 s). Not a test: no timing is asserted.
"""
from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated import big_board  # noqa: E402
from sync.board import normalise  # noqa: E402


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    widgets = big_board(count)
    timings = []
    for _ in range(7):
        gc.collect()  # garbage of the previous run is not this run's cost
        started = time.perf_counter()
        board = normalise(widgets)
        timings.append(time.perf_counter() - started)
    best = min(timings)
    print(f"normalise {len(widgets)} widgets ({len(board.notes())} notes, "
          f"{sum(len(e.groups) for e in board.exercises)} groups): best {best:.3f} s = {len(widgets) / best:,.0f} widgets/s "
          f"(median {sorted(timings)[3]:.3f} s; target >= 50,000 widgets/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
