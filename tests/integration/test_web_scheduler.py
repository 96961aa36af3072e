"""The schedule: next run times from cron and time zone (injected instants, no sleeping), one run at a time."""
from __future__ import annotations

import datetime as dt
import logging
import threading
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_MAX_INSTANCES

from sync.core.errors import BusyError, ConfigError
from sync.core.run_result import RunResult
from sync.entry.web.runner import SyncRunner
from sync.entry.web.scheduler import SyncScheduler
from sync.schedule import cron_weekdays, next_run_after, parse_schedule

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC


def at(*parts, tz=STOCKHOLM) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=tz)


def scheduler_of(runner: SyncRunner) -> SyncScheduler:
    """The scheduler as the app builds it, from the backbone's schedule and time zone."""
    backbone = runner.backbone
    return SyncScheduler.from_schedule(runner, backbone.settings.schedule, backbone.tz,
                                       digests=bool(getattr(backbone.settings, "smtp_url", "")))


class FakeBackbone:
    """What the runner needs of Backbone: settings, a clock, a time zone, and a sync it can hold open."""

    def __init__(self, schedule: str = "0 2 * * *", clock=lambda: at(2024, 6, 1, 12, 0)):
        self.settings = type("Settings", (), {"schedule": schedule, "timezone": "Europe/Stockholm",
                                         "language": "sv"})()
        self.clock, self.tz = clock, STOCKHOLM
        self.calls, self.error = 0, None
        self.entered, self.release = threading.Event(), threading.Event()
        self.release.set()

    def sync(self, progress=lambda _: None, **_):
        self.calls += 1
        self.entered.set()
        progress("reading the sheet")
        assert self.release.wait(30), "the test never released the run"
        if self.error:
            raise self.error
        return RunResult(started="2024-06-01 12:00:00", ended="2024-06-01 12:00:01", run_id=self.calls)


# --- next run times ---------------------------------------------------------------------------

def test_the_next_run_is_at_two_at_night_stockholm_time():
    trigger = parse_schedule("0 2 * * *", STOCKHOLM)
    assert next_run_after(trigger, at(2024, 6, 1, 12, 0)) == at(2024, 6, 2, 2, 0)
    assert next_run_after(trigger, at(2024, 6, 1, 12, 0)).utcoffset() == dt.timedelta(hours=2)
    assert next_run_after(trigger, at(2024, 1, 15, 1, 59)) == at(2024, 1, 15, 2, 0)
    assert next_run_after(trigger, at(2024, 1, 15, 1, 30, tz=UTC)).astimezone(UTC) == at(2024, 1, 16, 1, 0, tz=UTC)


def test_spring_forward_the_missing_two_oclock_runs_when_the_clocks_jump():
    trigger = parse_schedule("0 2 * * *", STOCKHOLM)
    # 31 March 2024: 02:00 CET does not exist, the clocks go to 03:00 CEST. The run happens at that instant.
    found = next_run_after(trigger, at(2024, 3, 30, 12, 0))
    assert found.astimezone(UTC) == at(2024, 3, 31, 1, 0, tz=UTC)
    assert (found.hour, found.utcoffset()) == (3, dt.timedelta(hours=2))  # shown as 03:00 summer time
    assert next_run_after(trigger, found).astimezone(UTC) == at(2024, 4, 1, 0, 0, tz=UTC)  # 02:00 CEST again


def test_fall_back_the_repeated_two_oclock_runs_once():
    trigger = parse_schedule("0 2 * * *", STOCKHOLM)
    first = next_run_after(trigger, at(2024, 10, 26, 12, 0))
    assert first.astimezone(UTC) == at(2024, 10, 27, 0, 0, tz=UTC)  # 02:00 summer time
    # APScheduler's own trigger would fire again an hour later, at 02:00 winter time.
    following = trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1))
    assert following.astimezone(UTC) == at(2024, 10, 28, 1, 0, tz=UTC)  # the next night, 02:00 CET


def test_cron_day_numbers_mean_what_they_mean_in_cron():
    saturday = at(2024, 6, 1, 12, 0)
    assert next_run_after(parse_schedule("0 2 * * 0", STOCKHOLM), saturday).date() == dt.date(2024, 6, 2)  # Sunday
    assert next_run_after(parse_schedule("0 2 * * 7", STOCKHOLM), saturday).date() == dt.date(2024, 6, 2)
    assert next_run_after(parse_schedule("0 2 * * 1-5", STOCKHOLM), saturday).date() == dt.date(2024, 6, 3)  # Monday
    assert cron_weekdays("1-5") == "mon,tue,wed,thu,fri"
    assert cron_weekdays("*/2") == "sun,tue,thu,sat" and cron_weekdays("5-7") == "sun,fri,sat"
    assert cron_weekdays("MON,wed") == "mon,wed" and cron_weekdays("*") == "*"


@pytest.mark.parametrize("expression,reason", [
    ("61 2 * * *", "minuten '61' är inte 0-59"), ("0 2 * *", "4 fält i stället för 5"),
    ("nightly", "1 fält i stället för 5"), ("0 2 * * 8", "'8' är ingen veckodag (0-7 eller sun-sat)"),
    ("0 2 * * 5-1", "'5-1': ett intervall måste gå från den tidigare dagen till den senare"),
    ("0 2 31 2 * *", "6 fält i stället för 5"), ("0 2 0 * *", "dagen i månaden '0' är inte 1-31"),
    ("0 x * * *", "timmen 'x' är inte 0-23"), ("0 2 * 13 *", "månaden '13' är inte 1-12")])
def test_an_invalid_cron_is_one_clear_configuration_error(expression, reason):
    with pytest.raises(ConfigError) as raised:
        parse_schedule(expression, STOCKHOLM)
    message = str(raised.value)
    assert message.startswith(f"BACKBONE_SCHEDULE={expression!r} är inget cron-schema ({reason}")
    assert '"0 2 * * *"' in message and "\n" not in message and raised.value.exit_code == 2


def test_an_invalid_cron_in_english_names_the_field():
    from sync.core import i18n
    with i18n.speaking("en"), pytest.raises(ConfigError) as raised:
        parse_schedule("0 25 * * *", STOCKHOLM)
    assert str(raised.value).startswith("BACKBONE_SCHEDULE='0 25 * * *' is not a cron schedule (the hour '25' is not 0-23")


def test_off_means_no_scheduled_runs():
    runner = SyncRunner(FakeBackbone(schedule="off"))
    scheduler = scheduler_of(runner)
    assert scheduler.job is None and scheduler.next_run() is None


def test_the_scheduler_tells_the_next_run_from_its_clock_and_from_apscheduler():
    runner = SyncRunner(FakeBackbone(clock=lambda: at(2024, 3, 30, 23, 0)))
    scheduler = scheduler_of(runner)
    assert scheduler.next_run().astimezone(UTC) == at(2024, 3, 31, 1, 0, tz=UTC)
    scheduler.start()
    try:
        assert scheduler.next_run() > dt.datetime.now(UTC)  # the real job's time once it runs
        assert scheduler.next_run().tzinfo is STOCKHOLM
    finally:
        scheduler.shutdown()
    assert not scheduler.scheduler.running


# --- never two at once ------------------------------------------------------------------------

def test_the_job_allows_one_instance_and_coalesces_missed_runs():
    scheduler = scheduler_of(SyncRunner(FakeBackbone()))
    assert scheduler.job.max_instances == 1 and scheduler.job.coalesce is True


def test_a_due_run_while_one_from_the_page_is_running_is_skipped(caplog):
    backbone = FakeBackbone()
    backbone.release.clear()
    runner = SyncRunner(backbone)
    scheduler = scheduler_of(runner)
    assert runner.start(origin="web")
    assert backbone.entered.wait(10)
    caplog.set_level(logging.INFO, logger="sync.entry.web")
    scheduler.run_due()  # what APScheduler calls when the time comes
    assert backbone.calls == 1
    assert "schedule sync skipped: a sync is already running" in caplog.text
    backbone.release.set()
    assert runner.wait(10) and runner.status().result == "ok"


def test_apscheduler_does_not_start_the_job_twice():
    backbone = FakeBackbone()
    backbone.release.clear()
    scheduler = scheduler_of(SyncRunner(backbone))
    refused = threading.Event()
    scheduler.scheduler.add_listener(lambda _: refused.set(), EVENT_JOB_MAX_INSTANCES)
    scheduler.start()
    try:
        scheduler.job.modify(next_run_time=dt.datetime.now(STOCKHOLM))  # due now
        assert backbone.entered.wait(10)
        scheduler.job.modify(next_run_time=dt.datetime.now(STOCKHOLM))  # due again while the first runs
        assert refused.wait(10), "APScheduler started a second instance"
        assert backbone.calls == 1
    finally:
        backbone.release.set()
        scheduler.shutdown()
        scheduler.runner.wait(10)


def test_a_sync_held_by_another_process_is_skipped_quietly(caplog):
    backbone = FakeBackbone()
    backbone.error = BusyError("a sync is already running (started 2024-06-01 02:00:00, process 4242)")
    caplog.set_level(logging.INFO, logger="sync.entry.web")
    scheduler = scheduler_of(SyncRunner(backbone))
    scheduler.run_due()  # no exception escapes into APScheduler
    status = scheduler.runner.status()
    assert status.result == "busy" and "process 4242" in status.error
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
