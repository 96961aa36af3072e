"""The check every run makes first: open intents of an earlier run (it died after sending a write, or a write
of it got no answer) against the sheet as read now. A misplaced value is put back from the merge base (what
sync last wrote in that row) and the value written to its own row; each is a repair, said in Konflikter and
Synklogg. Pure. See sync/core/sheet/intents.py and docs/architecture.md, "A write that got no answer"."""
from __future__ import annotations

from sync.core.sheet.intents import Reconciled, reconcile
from sync.core.sheet.tabs import ACTIONS, IDEAS, WORKSHOPS, TabSchema, find_tab, normalise_name
from sync.core.sheet.values import BaseKey, CellWrite, Intent, SheetValues


def _schema(title: str) -> TabSchema | None:
    return next((s for s in (WORKSHOPS, IDEAS, ACTIONS) if find_tab(s, [title])), None)


def check_open_intents(intents: list[Intent], values: SheetValues, base: dict[BaseKey, str]) -> Reconciled:
    """The cells that put back what an earlier run's write misplaced, and the repairs they are."""
    out = Reconciled()
    cells: list[CellWrite] = []
    for title in dict.fromkeys(i.tab for i in intents):
        schema = _schema(title)
        if schema is None or title not in values:
            continue  # a tab renamed or deleted since: nothing can be matched
        keys = {normalise_name(name): c.key for c in schema.columns for name in (c.header, *c.aliases)}

        def restore(row_id: str, header: str, schema: TabSchema = schema, keys: dict[str, str] = keys) -> str | None:
            key = keys.get(normalise_name(header))
            return None if key is None else base.get((schema.key, row_id, key))
        found = reconcile([i for i in intents if i.tab == title], values[title], restore, rewrite=False)
        cells += found.cells
        out.repairs += found.repairs
        out.warnings += found.warnings
        out.displaced |= found.displaced
    out.cells = cells
    return out
