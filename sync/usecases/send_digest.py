"""The e-mail digest after a sync: decide (sync/core/digest_policy.py), compose (sync/core/digest_message.py), send
(sync/adapters/smtp/mailer.py), and record what was sent, so a restart or a second sync that night does not resend it.
`app` is the Backbone (sync/bootstrap.py) whose run is told about.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from sync.core.digest_policy import ALREADY_SENT, Decision, decide, reminder_weekday
from sync.core.errors import BackboneError
from sync.core.followup_context import overdue_actions
from sync.core.model import Planning
from sync.core.run_result import stamp
from sync.core.text import one_line


def notify_after_sync(app, run_id: int | None, failure: str) -> dict[str, Any]:
    run = app.state.run(run_id) if run_id is not None else None
    if run is None and failure:  # the engine recorded the failed run; it is the newest one
        newest = app.state.runs(1)
        run = newest[0] if newest and newest[0].result == "failed" and newest[0].message == one_line(failure) else None
    record = dataclasses.asdict(run) if run else {"started": stamp(app.clock, app.tz), "result": "failed",
                                                  "message": one_line(failure), "details": {}}
    lang, today = app.settings.language, app.clock().astimezone(app.tz).date()
    outcome: dict[str, object] = {"at": stamp(app.clock, app.tz)}
    planning = None
    overdue: list[dict[str, Any]] = []
    try:
        planning = app.planning()
        overdue = overdue_actions(planning, today, lang)
    except BackboneError:
        pass  # a failed sync's digest still goes out, without titles or the overdue list
    decision = decide(record, run.id if run else None, overdue, app.state.last_digest(), today,
                      reminder_weekday(app.settings.mail_reminder_day))
    if not decision.send:
        outcome.update(sent=False, skipped=decision.reason)  # kept in English, shown translated
        if decision.reason == ALREADY_SENT:
            return outcome  # the run keeps the record of the digest that did go out
    else:
        try:
            _send_digest(app, record, decision, planning, outcome)
            app.state.record_digest(run.id if run else None, str(outcome["at"]), reminder=bool(decision.reminder),
                                     overdue=[a["id"] for a in overdue], subject=str(outcome["subject"]))
        except (BackboneError, OSError) as exc:
            outcome.update(sent=False, error=one_line(str(exc)))
    if run is not None:
        app.state.record_notification(run.id, outcome)
    return outcome

def _send_digest(app, record: dict[str, Any], decision: Decision, planning: Planning | None, outcome: dict[str, Any]) -> None:
    from sync.adapters.smtp.mailer import build_message, mail_server, newest_recaps, recipients, send
    from sync.core.digest_message import DigestInput, compose_digest

    server, (sender, to) = mail_server(app.settings.smtp_url), recipients(app.settings)
    attachments = newest_recaps(Path(app.settings.reports_dir)) if app.settings.mail_attach_recaps else []
    workshops = {w.id: {"title": w.title, "date": w.date} for w in planning.workshops} if planning else {}
    titles = {a.id: a.title for a in planning.actions} if planning else {}
    if planning:
        titles.update({row_id: row.get("text", "") for row_id, row in planning.ideas.items()})
    link = f"{app.settings.web_url.rstrip('/')}/runs/{record['id']}" if app.settings.web_url and record.get("id") else ""
    hide = app.state.suppression()  # a forgotten person named in a Vem, a title or a conflict's cell
    mail = compose_digest(DigestInput(hide.json(record), hide.json(decision.newly_overdue), hide.json(decision.reminder),
                                      hide.json(workshops), hide.json(titles), app.settings.mail_reminder_day.strip(),
                                      link, bool(attachments)),
                          app.settings.language)
    mail = dataclasses.replace(mail, subject=hide.text(mail.subject), text=hide.text(mail.text), html=hide.text(mail.html))
    send(server, build_message(mail, sender, to, attachments, now=app.clock().astimezone(app.tz)), limit=app.settings.mail_timeout)
    outcome.update(sent=True, to=len(to), subject=mail.subject, newly_overdue=len(decision.newly_overdue),
                   reminder=len(decision.reminder))
