"""How fast `backbone --help` answers (issue 23: under 0.3 s), beside `python -c pass` in the same run.

`backbone --help` runs the installed console script (.venv/bin/backbone) as a person would; the baseline is the
same Python starting and doing nothing (site, the editable install's path hook: what every command pays before
backbone's first line). Also shown: `backbone board --help` (a subcommand's help), and the modules `--help`
imports that take the longest (python -X importtime), so a heavy import that creeps back is named.

    .venv/bin/python benchmarks/bench_cli_start.py [runs]

Best of `runs` (default 15), the commands taking turns, since this shared 2-core machine's speed swings.
Not a test: no timing is asserted (tests/unit/test_cli_imports.py checks which modules the CLI imports).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SCRIPT = Path(PYTHON).with_name("backbone")
BACKBONE = [str(SCRIPT)] if SCRIPT.exists() else [PYTHON, "-m", "sync.entry.cli.main"]
TARGET = 0.3  # seconds


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def slowest_imports(cwd: Path, count: int = 5) -> list[tuple[int, str]]:
    """The modules `--help` imports with the largest cumulative import time (µs), outermost names only."""
    done = subprocess.run([PYTHON, "-X", "importtime", "-m", "sync.entry.cli.main", "--help"], cwd=cwd,
                          capture_output=True, text=True, check=True)
    found = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            found.append((int(parts[1]), parts[2].strip()))
    return sorted(found, reverse=True)[:count]


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory(prefix="backbone-bench-") as name:
        cwd = Path(name)  # no settings.env here: the help's language comes from the environment, as on a fresh machine
        commands = {"pass": [PYTHON, "-c", "pass"], "help": BACKBONE + ["--help"], "board": BACKBONE + ["board", "--help"]}
        timed(commands["help"], cwd)  # bytecode caches written, files in the page cache
        seen: dict[str, list[float]] = {key: [] for key in commands}
        for _ in range(runs):
            for key, command in commands.items():
                seen[key].append(timed(command, cwd))
        best = {key: min(values) for key, values in seen.items()}
        slowest = slowest_imports(cwd)
    shown = " ".join(os.path.relpath(part, ROOT) if part.startswith("/") else part for part in BACKBONE)
    print(f"start-up, best of {runs} (target: --help under {TARGET} s):")
    for key, label in (("help", f"{shown} --help"), ("board", f"{shown} board --help")):
        print(f"  {label:40} {best[key] * 1000:5.0f} ms   python -c pass {best['pass'] * 1000:5.0f} ms   "
              f"ratio {best[key] / best['pass']:.2f}x   beyond the bare start {(best[key] - best['pass']) * 1000:4.0f} ms")
    print("  slowest top-level imports of --help: " + ", ".join(f"{name} {micros / 1000:.0f} ms" for micros, name in slowest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
