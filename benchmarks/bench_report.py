"""How long a large recap takes: 5,000 notes (5 exercises × 10 groups × 100 notes) and 50 actions.

    .venv/bin/python benchmarks/bench_report.py [notes]

Prints seconds for building the context and for rendering the .docx. Target: under 2 s in all
on a 2-core machine. Not a test: timings vary too much between machines to assert.
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.docx_recap import bundled_template, render_report, report_filename  # noqa: E402
from reports.sample import sample_planning, sample_workshop  # noqa: E402
from sync.core.model import Action, Board, Exercise, Group, Note  # noqa: E402
from sync.core.recap_context import build_report_context  # noqa: E402


def large_board(notes: int) -> Board:
    per_group, groups_per_exercise = 100, 10
    groups = [Group(title=f"Grupp {g}", notes=tuple(
        Note(id=f"n{g}-{n}", text=f"Lapp {n} i grupp {g}: relationsbyggande & förtroende <på plats> 🎉")
        for n in range(min(per_group, notes - g * per_group)))) for g in range(-(-notes // per_group))]
    exercises = tuple(Exercise(title=f"Övning {e + 1}", order=e,
                               groups=tuple(groups[e * groups_per_exercise:(e + 1) * groups_per_exercise]))
                      for e in range(-(-len(groups) // groups_per_exercise)))
    actions = tuple(Action(id=f"a{i}", workshop="CI2", exercise=f"Övning {i % len(exercises) + 1}",
                           title=f"Åtgärd {i}", how="" if i % 3 else "Förstudie", when="Q1 2022", who="Processgruppen")
                    for i in range(50))
    return Board(exercises=exercises, actions=actions)


def main() -> int:
    notes = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    board = large_board(notes)
    started = time.perf_counter()
    context = build_report_context(sample_workshop(), board, sample_planning(), generated=datetime.now())
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        out = render_report(context, bundled_template("sv"), Path(folder) / report_filename(context),
                            title=context["title"], author="backbone", created=datetime.now(UTC))
        rendered = time.perf_counter()
        size = out.stat().st_size
    print(f"{notes} notes: context {built - started:.3f} s, render {rendered - built:.3f} s, "
          f"total {rendered - started:.3f} s ({size / 1024:.0f} KiB .docx)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
