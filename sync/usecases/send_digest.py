"""The e-mail digest after a sync: decide (sync/core/digest_policy.py), compose (sync/core/digest_message.py), send
(through the Mailer port), and record what was sent, so a restart or a second sync that night does not resend it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sync.core.digest_message import DigestInput, compose_digest, compose_test
from sync.core.digest_policy import ALREADY_SENT, Decision, decide, reminder_weekday
from sync.core.errors import BackboneError
from sync.core.followup_context import overdue_actions
from sync.core.model import Planning
from sync.core.run_result import stamp
from sync.core.suppression import Suppression
from sync.core.text import one_line
from sync.ports import DigestLog, Mailer


@dataclass(frozen=True)
class DigestOptions:
    lang: str  # BACKBONE_LANGUAGE
    clock: Callable[[], dt.datetime]
    tz: dt.tzinfo
    reminder_day: str = ""  # BACKBONE_MAIL_REMINDER_DAY: the weekday of the reminder of every overdue action
    web_url: str = ""  # BACKBONE_WEB_URL: the digest links to the run's page there


def notify_after_sync(log: DigestLog, mailer: Mailer, planning_now: Callable[[], Planning],
                      hide: Callable[[], Suppression], options: DigestOptions, run_id: int | None, failure: str) -> dict:
    """Tell of run `run_id` (or of a sync that failed with `failure`) when there is news; returns the outcome, also
    recorded in the run's details. `planning_now` reads the sheet; `hide` the list of forgotten people."""
    clock, tz, lang = options.clock, options.tz, options.lang
    run = log.run(run_id) if run_id is not None else None
    if run is None and failure:  # the engine recorded the failed run; it is the newest one
        newest = log.runs(1)
        run = newest[0] if newest and newest[0].result == "failed" and newest[0].message == one_line(failure) else None
    record = dataclasses.asdict(run) if run else {"started": stamp(clock, tz), "result": "failed",
                                                  "message": one_line(failure), "details": {}}
    today = clock().astimezone(tz).date()
    outcome: dict[str, object] = {"at": stamp(clock, tz)}
    planning = None
    overdue: list[dict] = []
    try:
        planning = planning_now()
        overdue = overdue_actions(planning, today, lang)
    except BackboneError:
        pass  # a failed sync's digest still goes out, without titles or the overdue list
    decision = decide(record, run.id if run else None, overdue, log.last_digest(), today,
                      reminder_weekday(options.reminder_day))
    if not decision.send:
        outcome.update(sent=False, skipped=decision.reason)  # kept in English, shown translated
        if decision.reason == ALREADY_SENT:
            return outcome  # the run keeps the record of the digest that did go out
    else:
        try:
            _send_digest(mailer, hide(), options, record, decision, planning, outcome)
            log.record_digest(run.id if run else None, str(outcome["at"]), reminder=bool(decision.reminder),
                                     overdue=[a["id"] for a in overdue], subject=str(outcome["subject"]))
        except (BackboneError, OSError) as exc:
            outcome.update(sent=False, error=one_line(str(exc)))
    if run is not None:
        log.record_notification(run.id, outcome)
    return outcome


def _send_digest(mailer: Mailer, hide: Suppression, options: DigestOptions, record: dict, decision: Decision,
                 planning: Planning | None, outcome: dict) -> None:
    hide = hide.in_language(options.lang)  # a forgotten name's marker in the mail's language
    attachments = mailer.attachments()
    workshops = {w.id: {"title": w.title, "date": w.date} for w in planning.workshops} if planning else {}
    titles = {a.id: a.title for a in planning.actions} if planning else {}
    if planning:
        titles.update({row_id: row.get("text", "") for row_id, row in planning.ideas.items()})
    link = f"{options.web_url.rstrip('/')}/runs/{record['id']}" if options.web_url and record.get("id") else ""
    # `hide`: a forgotten person named in a Vem, a title or a conflict's cell
    mail = compose_digest(DigestInput(hide.json(record), hide.json(decision.newly_overdue), hide.json(decision.reminder),
                                      hide.json(workshops), hide.json(titles), options.reminder_day.strip(),
                                      link, bool(attachments)),
                          options.lang)
    mail = dataclasses.replace(mail, subject=hide.text(mail.subject), text=hide.text(mail.text), html=hide.text(mail.html))
    to = mailer.send(mail, attachments=attachments, now=options.clock().astimezone(options.tz))
    outcome.update(sent=True, to=len(to), subject=mail.subject, newly_overdue=len(decision.newly_overdue),
                   reminder=len(decision.reminder))


def send_test_message(mailer: Mailer, options: DigestOptions) -> list[str]:
    """`backbone notify --test`: one message to every recipient; named errors when the settings or the server are
    wrong. Returns the recipients' addresses."""
    return mailer.send(compose_test(options.lang), now=options.clock().astimezone(options.tz))
