"""Normalisation throughput on a generated 20,000-widget board (target: >= 50,000 widgets/s), and the
huge-area case: one 30,000 x 20,000 area among thousands of small shapes and stickies, measured as a
per-widget ratio to the ordinary board run beside it (target: about 1, i.e. linear whatever the sizes).

    .venv/bin/python benchmarks/bench_normalise.py [widgets]

Best of seven runs (as timeit reports), since this shared 2-core machine's speed swings by a
quarter from one second to the next (a plain Python loop measured 0.43-0.55 s). Not a test: no timing is asserted.
"""
from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated import big_board, huge_area_board  # noqa: E402
from sync.core.board import normalise  # noqa: E402


def best_of_seven(widgets: list[dict]) -> tuple[float, float, object]:
    timings = []
    board = None
    for _ in range(7):
        gc.collect()  # garbage of the previous run is not this run's cost
        started = time.perf_counter()
        board = normalise(widgets)
        timings.append(time.perf_counter() - started)
    return min(timings), sorted(timings)[3], board


def peak_megabytes(widgets: list[dict]) -> float:
    gc.collect()
    tracemalloc.start()
    normalise(widgets)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    widgets = big_board(count)
    best, median, board = best_of_seven(widgets)
    print(f"normalise {len(widgets)} widgets ({len(board.notes())} notes, "
          f"{sum(len(e.groups) for e in board.exercises)} groups): best {best:.3f} s = {len(widgets) / best:,.0f} widgets/s "
          f"(median {median:.3f} s; target >= 50,000 widgets/s)")
    huge = huge_area_board()
    huge_best, huge_median, _ = best_of_seven(huge)
    ratio = (huge_best / len(huge)) / (best / len(widgets))
    print(f"huge area: {len(huge)} widgets (one 30,000 x 20,000 area, 4,000 shapes of 30 px, 4,000 stickies): "
          f"best {huge_best:.3f} s (median {huge_median:.3f} s) = {ratio:.2f}x the ordinary board's time per widget; "
          f"peak memory {peak_megabytes(huge):.1f} MB vs {peak_megabytes(widgets):.1f} MB for the ordinary board")
    return 0


if __name__ == "__main__":
    sys.exit(main())
