"""Runs and follow-ups in lists: the run-history port for tests of the follow-up use case without a database.
Behaves as the SQLite store does: moments compare as their "YYYY-MM-DD HH:MM:SS" text, and only runs that wrote to
the sheet (ok, partial) count as the last run before a moment."""
from __future__ import annotations

from sync.ports import RunHistory, RunRecord


class MemoryHistory(RunHistory):
    def __init__(self) -> None:
        self.runs: list[RunRecord] = []
        self.followups: list[tuple[str, dict]] = []

    def add_run(self, started: str, result: str = "ok", **details: object) -> RunRecord:
        run = RunRecord(len(self.runs) + 1, started, started, result, 0, 0, 0, 0, "", dict(details))
        self.runs.append(run)
        return run

    def runs_after(self, moment: str) -> list[RunRecord]:
        return [run for run in self.runs if run.started > moment]

    def last_run_before(self, moment: str) -> RunRecord | None:
        wrote = [run for run in self.runs if run.started <= moment and run.result in ("ok", "partial")]
        return wrote[-1] if wrote else None

    def last_followup(self) -> tuple[str, dict] | None:
        return self.followups[-1] if self.followups else None

    def record_followup(self, written: str, details: dict) -> int:
        self.followups.append((written, details))
        return len(self.followups)
