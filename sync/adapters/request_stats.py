"""Request counters the sheet adapters keep, for run summaries, tests and benchmarks (not part of the port)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SheetStats:
    reads: int = 0
    writes: int = 0
    cells_written: int = 0
    extra: dict[str, int] = field(default_factory=dict)
