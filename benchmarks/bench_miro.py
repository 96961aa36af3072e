"""A Miro board read into the normalised board, beside a MURAL board of the same size and layout read the same way
(benchmarks/generated.py: 20 exercises of 10 groups, notes inside). Targets: >= 50,000 items/s, as the normaliser's
own; linear (the 80,000-item board costs about what the 20,000 one does per item). The ratio to MURAL's per-item
cost is printed for what it tells: the Miro path converts items into widgets first (frames' children from the
frame's corner), then runs the same normaliser, so it cannot be below 1x.

    .venv/bin/python benchmarks/bench_miro.py [items]

Best of five, taking turns, since this shared 2-core machine's speed swings. Not a test: no timing is asserted.
"""
from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated import big_board, miro_board  # noqa: E402
from sync.core.board import normalise  # noqa: E402
from sync.core.board.miro import board_from_miro, export_from_miro  # noqa: E402
from sync.core.model import Board  # noqa: E402


def timed(run: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def read_miro(data: dict) -> Board:
    return board_from_miro(export_from_miro(data, "bench", "uXjVBench00="))


def compare(count: int) -> None:
    widgets, miro = big_board(count), miro_board(count)
    mural_times, miro_times = [], []
    for _ in range(5):  # taking turns: a slow second hurts both
        mural_times.append(timed(lambda: normalise(widgets)))
        miro_times.append(timed(lambda: read_miro(miro)))
    board = read_miro(miro)
    mural, best = min(mural_times), min(miro_times)
    items = len(miro["items"])
    ratio = (best / items) / (mural / len(widgets))
    print(f"{items:,} Miro items ({len(board.notes()):,} notes, {len(board.actions)} card actions): best {best:.3f} s = "
          f"{items / best:,.0f} items/s (target >= 50,000 items/s); MURAL {len(widgets):,} widgets best {mural:.3f} s; "
          f"per item {ratio:.2f}x MURAL's")


def main() -> int:
    for count in [int(sys.argv[1])] if len(sys.argv) > 1 else [20_000, 80_000]:
        compare(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
