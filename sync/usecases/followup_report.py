"""The follow-up use case: the report of the whole series between workshops, remembered for the next one.

"New and changed" is measured against `--since DATE` (the last run before it) or the last follow-up.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sync.core.errors import InputError
from sync.core.followup_context import Since, build_followup_context, shown_statuses
from sync.core.i18n import _
from sync.core.model import Planning
from sync.core.recap_context import build_report_context
from sync.core.sheet.reading import read_planning, rows_of
from sync.core.sheet.tabs import ACTIONS
from sync.core.suppression import NOBODY, Suppression
from sync.ports import DocumentRenderer, RunHistory, SheetBackend
from sync.usecases.recap import ReportFiles


def followup_since(since: str | None, history: RunHistory) -> Since:
    """What "new and changed" is measured against: --since DATE, else the last follow-up, from the recorded history."""
    if since is not None:
        try:
            day = dt.date.fromisoformat(since.strip())
        except ValueError:
            raise InputError(_("--since {value!r}: give a date as YYYY-MM-DD, e.g. 2021-06-01").format(value=since)) from None
        moment = f"{day.isoformat()} 00:00:00"
        before = history.last_run_before(moment)
        statuses = before.details.get("changes", {}).get("statuses") if before else None
        return Since("date", day.isoformat(), statuses, _digests_after(history, moment))
    last = history.last_followup()
    if last is None:
        return Since("first")
    return Since("followup", last[0], last[1].get("statuses"), _digests_after(history, last[0]))


def _digests_after(history: RunHistory, moment: str) -> list[dict[str, Any]]:
    return [r.details["changes"] for r in history.runs_after(moment)
            if r.result in ("ok", "partial") and "changes" in r.details]


def followup_context(sheet: SheetBackend, history: RunHistory, renderer: DocumentRenderer, *, since: str | None, lang: str,
                     now: dt.datetime, organisation: str, reports_dir: Path, hide: Suppression = NOBODY) -> dict[str, Any]:
    """The follow-up report's context (Word and HTML share it), recording nothing."""
    return _followup(sheet, history, renderer, since=since, lang=lang, now=now, organisation=organisation,
                     reports_dir=reports_dir, hide=hide)[0]


def _followup(sheet: SheetBackend, history: RunHistory, renderer: DocumentRenderer, *, since: str | None, lang: str,
              now: dt.datetime, organisation: str, reports_dir: Path, hide: Suppression) -> tuple[dict[str, Any], Planning]:
    hide = hide.in_language(lang)  # a forgotten name's marker in the report's language
    values = hide.json(sheet.read())  # a forgotten person named in a Status or Vem cell stays out
    planning = read_planning(values, sheet.name)
    owners = {r["id"]: r.get("owner", "") for _, r in rows_of(values, ACTIONS, sheet.name) if r.get("id")}
    recaps = {}
    for workshop in planning.workshops:  # the recap's name as `backbone report` writes it, when it is there
        name = renderer.recap_name(build_report_context(workshop, None, planning, lang=lang, generated=now))
        if (reports_dir / name).is_file():
            recaps[workshop.id] = name
    chosen = followup_since(since, history)
    return build_followup_context(planning, chosen, lang=lang, today=now.date(), generated=now,
                                  organisation=organisation, owners=owners, recaps=recaps), planning


def write_followup(sheet: SheetBackend, history: RunHistory, renderer: DocumentRenderer, *, since: str | None, lang: str, now: dt.datetime,
                   stamp: str, organisation: str, reports_dir: Path, template: Path | None, out: Path | None,
                   pdf: bool = False, hide: Suppression = NOBODY) -> ReportFiles:
    """Write the follow-up report of the whole series, and record what it showed (`stamp`: the run-style time)."""
    context, planning = _followup(sheet, history, renderer, since=since, lang=lang, now=now, organisation=organisation,
                                  reports_dir=reports_dir, hide=hide)
    docx = renderer.write_followup(context, template=template, out=out or reports_dir, author=organisation or "backbone",
                                   created=now)
    history.record_followup(stamp, {"statuses": shown_statuses(planning), "file": docx.name})
    return ReportFiles(docx, renderer.to_pdf(docx) if pdf else None)
