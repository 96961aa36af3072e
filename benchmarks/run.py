"""`make bench`: every benchmark, one after the other, figures printed."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["bench_normalise.py", "bench_miro.py", "bench_board_json.py", "bench_cli_start.py", "bench_report.py", "bench_sheet_sync.py",
              "bench_workbook.py", "bench_processes.py"]

for name in BENCHMARKS:
    path = HERE / name
    print(f"== {name} ==", flush=True)
    sys.argv = [str(path)]
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as done:
        if done.code:
            sys.exit(done.code)
