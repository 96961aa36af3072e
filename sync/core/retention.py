"""How long archived board snapshots are kept: BACKBONE_KEEP_SNAPSHOTS. Pure.

Empty keeps every snapshot; `90d` keeps those fetched in the last 90 days; `10` keeps the 10 newest of
each board. The newest snapshot of a board is always kept, whatever the setting: it is what a recap
falls back to when the board is gone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sync.core.errors import ConfigError
from sync.core.i18n import _

DAY = 86_400.0


@dataclass(frozen=True)
class Retention:
    days: int | None = None  # keep what was fetched within this many days
    count: int | None = None  # keep this many newest per board

    @classmethod
    def parse(cls, text: str) -> Retention:
        text = text.strip().lower()
        if not text:
            return cls()
        days = re.fullmatch(r"(\d+)\s*d", text)
        if days and int(days.group(1)) > 0:
            return cls(days=int(days.group(1)))
        if text.isdigit() and int(text) > 0:
            return cls(count=int(text))
        raise ConfigError(_("BACKBONE_KEEP_SNAPSHOTS={value!r}: use a number of days such as 90d, a count of "
                            "snapshots per board such as 10, or leave it empty to keep every snapshot").format(value=text))

    def keeps_all(self) -> bool:
        return self.days is None and self.count is None

    def doomed(self, snapshots: Iterable[tuple[int, str, float]], now: float) -> list[int]:
        """The ids to delete among (id, mural id, fetched at) rows: never a board's newest."""
        if self.keeps_all():
            return []
        by_board: dict[str, list[tuple[float, int]]] = {}
        for snapshot_id, mural_id, fetched_at in snapshots:
            by_board.setdefault(mural_id, []).append((fetched_at, snapshot_id))
        doomed = []
        for rows in by_board.values():
            rows.sort(reverse=True)  # newest first; the same instant falls back to the higher id
            for position, (fetched_at, snapshot_id) in enumerate(rows):
                if position == 0:
                    continue
                too_many = self.count is not None and position >= self.count
                too_old = self.days is not None and fetched_at < now - self.days * DAY
                if too_many or too_old:
                    doomed.append(snapshot_id)
        return sorted(doomed)


KEEP_ALL = Retention()
