"""What the pages and the JSON endpoints say about workshops, runs and the service's health."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sync.core.errors import BackboneError, BusyError
from sync.core.i18n import _
from sync.entry.web.page_words import without_server_paths
from sync.entry.web.runner import RunStatus, SyncRunner
from sync.usecases.recap import left_out_lines, no_board_message

if TYPE_CHECKING:
    from sync.bootstrap import Backbone

COUNT_KEYS = ("new", "changed", "removed", "conflicts")
HEALTHY_RESULTS = ("ok", "busy", "dry-run")  # "partial": a board failed — a monitor should hear about it


def workshop_view(row: dict[str, str], in_sheet_tabs: frozenset[str] = frozenset(),
                  left_out: dict[str, list[tuple[str, str]]] | None = None) -> dict:
    """A Workshops row for the page. The board is a link only when it is a web address (never javascript: …).
    `recap`: "board", "sheet" (no board, but rows in Idéer or Åtgärder: `in_sheet_tabs`, IDs case-folded) or
    "" with `no_recap` saying why, as `backbone report` does. `left_out`: what the recaps leave out
    (sync/usecases/workshop_cards.py), said as `backbone report` says it ("obs: 1 lapp är inte med …")."""
    board = row.get("board", "").strip()
    is_web = urlsplit(board).scheme in ("http", "https")
    workshop_id = row.get("id", "")
    recap = "board" if board else "sheet" if workshop_id.strip().casefold() in in_sheet_tabs else ""
    return {"id": workshop_id, "title": row.get("title", "") or workshop_id, "date": row.get("date", ""),
            "board_url": board if is_web else "", "board_text": "" if is_web else board,
            "notes": row.get("notes", ""), "synced": row.get("synced", ""),
            "recap": recap, "no_recap": "" if recap else no_board_message(workshop_id),
            "left_out": [_("note: {text}").format(text=line) for line in
                         left_out_lines((left_out or {}).get(workshop_id.strip().casefold(), []))] if recap else []}


def run_summary(status: RunStatus | None, t) -> str:
    """One sentence for a person: "Synken är klar: lyckades — 36 nya, 0 ändrade, …"."""
    if status is None:
        return t("sync_idle")
    if status.state == "running":
        return t("sync_running")
    text = f"{t('sync_done')}: {t('result_' + str(status.result))}"
    if status.counts:
        text += " — " + t("counts", **status.counts)
    if status.error and status.result != "busy":
        text += f" — {without_server_paths(status.error)}"
    return text


def status_json(status: RunStatus | None, t) -> dict:
    if status is None:
        return {"state": "idle", "summary": run_summary(None, t), "lines": []}
    return {**dataclasses.asdict(status), "lines": status.said_lines(), "summary": run_summary(status, t)}


def _iso(stamp: dt.datetime | None) -> str | None:
    return None if stamp is None else stamp.isoformat()


def health(backbone: Backbone, runner: SyncRunner, next_run: dt.datetime | None) -> dict:
    """{"status": "ok"|"failing", "last_run": {...}|null, "next_run": ISO|null}; nothing private (it is open).

    The last run is the newer of the state database's record and this process's last attempt, which
    also covers attempts that failed before the engine could record them (an unreadable workbook).
    """
    try:
        records = backbone.state.runs(1)
    except BackboneError as exc:  # busy: another process holds it longer than the store waits
        return {"status": "failing", "last_run": None, "next_run": _iso(next_run),
                "error": "state database busy" if isinstance(exc, BusyError) else "state database unreadable"}
    last = None
    if records:
        record = records[0]
        last = {"id": record.id, "started": record.started, "ended": record.ended, "result": record.result,
                **{key: getattr(record, key) for key in COUNT_KEYS}}
    attempt = runner.status()
    if attempt is not None and attempt.state == "finished" and attempt.run_id is None and attempt.result != "busy" and \
            (last is None or attempt.ended > last["ended"]):
        last = {"id": None, "started": attempt.started, "ended": attempt.ended, "result": attempt.result,
                **{key: (attempt.counts or {}).get(key, 0) for key in COUNT_KEYS}}
    healthy = last is None or last["result"] in HEALTHY_RESULTS
    return {"status": "ok" if healthy else "failing", "last_run": last, "next_run": _iso(next_run)}
