"""What one sync run did, as the sheet's Synklogg, the state database, `backbone runs` and the page say it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sync.core.i18n import ngettext
from sync.core.sheet.plan import Plan
from sync.core.sheet.run_log import conflict_summary, repair_summary


@dataclass
class RunResult:
    started: str
    ended: str = ""
    result: str = "ok"  # ok | partial | failed | dry-run
    plan: Plan | None = None
    synced: list[str] = field(default_factory=list)  # workshop IDs brought in
    failures: list[tuple[str, str]] = field(default_factory=list)  # (workshop ID, one-line reason)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what to do next, said after the counts ("obs: …")
    run_id: int | None = None

    def counts(self) -> dict[str, int]:
        return self.plan.counts() if self.plan else {"new": 0, "changed": 0, "removed": 0, "conflicts": 0}

    def message(self) -> str:
        parts = [f"{w}: {reason}" for w, reason in self.failures]
        if self.plan and self.plan.deleted_by_people:
            deleted = len(self.plan.deleted_by_people)
            parts.append(ngettext("{count} row deleted in the sheet stays deleted",
                                  "{count} rows deleted in the sheet stay deleted", deleted).format(count=deleted))
        if self.plan and self.plan.repairs:
            parts.append(repair_summary(self.plan))
        if self.plan and self.plan.conflicts:
            parts.append(conflict_summary(self.plan))
        return "; ".join(parts)


def stamp(clock: Callable[[], dt.datetime], tz: dt.tzinfo) -> str:
    """A run's times as people read them in the sheet, the page and `backbone runs`."""
    return clock().astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
