"""BACKBONE_SCHEDULE (cron syntax) read as an APScheduler trigger; checked when the settings load.

Two things APScheduler 3 does differently from cron are corrected here, because coordinators
copy cron lines from the internet: its day-of-week numbers start at Monday (cron: 0 = Sunday),
and on the night the clocks go back it fires a 02:00 job twice (once per 02:00).
"""
from __future__ import annotations

import datetime as dt

from apscheduler.triggers.cron import CronTrigger

from sync.core.errors import ConfigError
from sync.core.i18n import N_, _, ngettext

CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
OFF = ("", "off", "none")
# What is wrong with one field, said whole (APScheduler's own reasons are English and name no field).
FIELD_PROBLEMS = {
    "minute": N_("the minute {value!r} is not 0-59, *, a range such as 0-30, a list such as 0,30 or a step such as */15"),
    "hour": N_("the hour {value!r} is not 0-23, *, a range such as 8-17, a list such as 2,14 or a step such as */6"),
    "day": N_("the day of the month {value!r} is not 1-31, *, a range such as 1-7, a list such as 1,15 or a step "
              "such as */2"),
    "month": N_("the month {value!r} is not 1-12, *, a range such as 6-8, a list such as 1,7 or a step such as */3"),
}


def _weekday(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit() and int(token) <= 7:
        return int(token)
    if token in CRON_DAYS:
        return CRON_DAYS.index(token)
    raise ValueError(_("{value!r} is not a day of the week (0-7 or sun-sat)").format(value=token))


def cron_weekdays(text: str) -> str:
    """Cron's day-of-week field as APScheduler names, e.g. "1-5" -> "mon,tue,wed,thu,fri"."""
    if text == "*":
        return text
    days: set[int] = set()
    for part in text.split(","):
        span, slash, step = part.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            raise ValueError(_("{value!r}: the step after / must be a positive number").format(value=part))
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            first, last = (_weekday(end) for end in span.split("-", 1))
        else:
            first = _weekday(span)
            last = 6 if slash else first  # cron reads "1/2" as "1-6/2"
        if first > last:
            raise ValueError(_("{value!r}: a range must go from the earlier day to the later").format(value=span))
        days.update(day % 7 for day in range(first, last + 1, int(step) if slash else 1))
    return ",".join(CRON_DAYS[day] for day in sorted(days))


class WallClockCronTrigger(CronTrigger):
    """A CronTrigger that fires once per wall-clock time, as cron does on the night the clocks go back."""

    def get_next_fire_time(self, previous_fire_time, now):
        next_time = super().get_next_fire_time(previous_fire_time, now)
        if next_time and previous_fire_time and next_time.replace(tzinfo=None) == \
                previous_fire_time.astimezone(self.timezone).replace(tzinfo=None):
            next_time = super().get_next_fire_time(next_time, next_time)  # the repeated hour: skip it
        return next_time


def parse_schedule(expression: str, tz: dt.tzinfo) -> WallClockCronTrigger | None:
    """The trigger for BACKBONE_SCHEDULE; None for "off"; ConfigError (one line) when it is not cron."""
    if expression.strip().lower() in OFF:
        return None
    fields = expression.split()
    try:
        if len(fields) != 5:
            raise ValueError(ngettext("{count} field instead of 5", "{count} fields instead of 5", len(fields)).format(
                count=len(fields)))
        minute, hour, day, month, weekday = fields
        for name, value in zip(FIELD_PROBLEMS, fields):
            _check_field(name, value, tz)
        return WallClockCronTrigger(minute=minute, hour=hour, day=day, month=month,
                                    day_of_week=cron_weekdays(weekday), timezone=tz)
    except ValueError as exc:
        raise ConfigError(_("BACKBONE_SCHEDULE={value!r} is not a cron schedule ({reason}); use five fields, minute hour "
                            "day-of-month month day-of-week, e.g. \"0 2 * * *\" for 02:00 every night").format(
                                value=expression, reason=exc)) from None


def _check_field(name: str, value: str, tz: dt.tzinfo) -> None:
    """One field alone through APScheduler, so the reason names the field, in the person's language."""
    try:
        CronTrigger(**{name: value}, timezone=tz)
    except ValueError:
        raise ValueError(_(FIELD_PROBLEMS[name]).format(value=value)) from None


def next_run_after(trigger: CronTrigger | None, instant: dt.datetime) -> dt.datetime | None:
    """When the schedule fires next after `instant`, in the schedule's time zone."""
    if trigger is None:
        return None
    return local(trigger.get_next_fire_time(None, instant), trigger.timezone)


def local(instant: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    """Normalised wall-clock time: APScheduler's 02:00+01:00 in the spring gap is 03:00+02:00.
    Through UTC, because astimezone() to the same tzinfo changes nothing."""
    return None if instant is None else instant.astimezone(dt.UTC).astimezone(tz)
