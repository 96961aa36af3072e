"""When the e-mail digest is worth sending, and what it then says besides the run's own changes. Pure.

People stop reading a mail that comes every night with the same list. So a digest goes out only with
news: notes or actions added or changed, conflicts, a failed or partial run, or an action that became
overdue since the last digest that was sent. Every overdue action is repeated at most once a week, on
the day BACKBONE_MAIL_REMINDER_DAY names. What was sent is recorded (sync/adapters/sqlite/state_store.py, table digests), so a
restart, or a second sync the same night, does not send it again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sync.core.errors import ConfigError
from sync.core.i18n import N_, _

WEEKDAYS = {  # Monday is 0, as date.weekday() counts
    0: ("måndag", "mandag", "monday", "mon", "mån"), 1: ("tisdag", "tuesday", "tue", "tis"),
    2: ("onsdag", "wednesday", "wed", "ons"), 3: ("torsdag", "thursday", "thu", "tor"),
    4: ("fredag", "friday", "fri", "fre"), 5: ("lördag", "lordag", "saturday", "sat", "lör"),
    6: ("söndag", "sondag", "sunday", "sun", "sön")}


def reminder_weekday(raw: str) -> int | None:
    """BACKBONE_MAIL_REMINDER_DAY as date.weekday() counts (Monday 0); None when empty (no reminder)."""
    name = raw.strip().casefold().rstrip(".")
    if not name:
        return None
    for number, names in WEEKDAYS.items():
        if name in names or name.removesuffix("ar") in names or name.removesuffix("s") in names:  # "måndagar", "mondays"
            return number
    raise ConfigError(_("BACKBONE_MAIL_REMINDER_DAY={value!r}: name a weekday, e.g. måndag or monday, or leave it empty "
                        "for no weekly reminder").format(value=raw))


ALREADY_SENT, NOTHING_NEW = N_("already sent for this sync"), N_("nothing new since the last digest")


@dataclass(frozen=True)
class LastDigest:
    """The newest digest that was sent: when, for which run, and which actions it knew as overdue."""

    run_id: int | None
    sent: str  # "YYYY-MM-DD HH:MM:SS", as runs are stamped
    overdue: frozenset[str]
    last_reminder: str = ""  # the day ("YYYY-MM-DD") of the newest weekly reminder, "" when none yet


@dataclass(frozen=True)
class Decision:
    send: bool
    newly_overdue: list[dict[str, Any]]  # actions overdue now that the last digest did not know as overdue
    reminder: list[dict[str, Any]]  # every overdue action, on the reminder day; [] otherwise
    reason: str = ""  # why nothing is sent (English, translated where shown)


def has_news(run: dict[str, Any]) -> bool:
    """Notes or actions added or changed, conflicts, or a run that did not fully succeed."""
    details = run.get("details", {})
    if run.get("result") != "ok" or details.get("failures") or run.get("conflicts"):
        return True
    workshops = details.get("changes", {}).get("workshops", {})
    return any(kinds.get(kind, {}).get("count", 0) for kinds in workshops.values()
               for kind in ("notes_added", "notes_changed", "actions_added", "actions_changed"))


def decide(run: dict[str, Any], run_id: int | None, overdue: list[dict[str, Any]], last: LastDigest | None, today: dt.date,
           reminder_day: int | None) -> Decision:
    """Whether to send the digest of `run`, given the actions overdue now and the last digest sent."""
    if last is not None and run_id is not None and last.run_id == run_id:
        return Decision(False, [], [], ALREADY_SENT)
    known = last.overdue if last is not None else frozenset()
    newly = [action for action in overdue if action["id"] not in known]
    due = reminder_day is not None and today.weekday() == reminder_day and bool(overdue) and \
        (last is None or last.last_reminder != today.isoformat())
    reminder = sorted(overdue, key=overdue_order) if due else []
    if has_news(run) or newly or reminder:
        return Decision(True, sorted(newly, key=overdue_order), reminder)
    return Decision(False, [], [], NOTHING_NEW)


def overdue_order(action: dict[str, Any]) -> tuple[str, str]:
    """Oldest due date first; the title breaks ties so the order does not change between mails."""
    return (str(action.get("due_iso") or "9999-12-31"), str(action.get("title", "")).casefold())
