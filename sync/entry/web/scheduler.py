"""The nightly sync: BACKBONE_SCHEDULE (cron syntax, read in sync/schedule.py) in BACKBONE_TIMEZONE, run by APScheduler."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from sync.core.i18n import speaking
from sync.entry.web.runner import SyncRunner
from sync.schedule import local, next_run_after, parse_schedule

log = logging.getLogger("sync.entry.web.schedule")


class SyncScheduler:
    """The service's schedule: a BackgroundScheduler with one job, never two instances of it at once."""

    def __init__(self, runner: SyncRunner, trigger: CronTrigger | None, tz: dt.tzinfo,
                 clock: Callable[[], dt.datetime] | None = None, *, digests: bool = False):
        self.runner, self.trigger, self.tz = runner, trigger, tz
        self.digests = digests  # e-mail the digest after each scheduled run (the mail server is set up)
        self.clock = clock or runner.backbone.clock
        self.scheduler = BackgroundScheduler(timezone=tz)
        self.job = None
        if trigger is not None:
            # max_instances=1 and coalesce: a run still going when the next is due is not started again, and
            # runs missed while the machine slept become one. The runner's lock covers runs started from the page.
            self.job = self.scheduler.add_job(self.run_due, trigger=trigger, id="sync", name="scheduled sync",
                                              max_instances=1, coalesce=True, misfire_grace_time=3600)

    @classmethod
    def from_schedule(cls, runner: SyncRunner, schedule: str, tz: dt.tzinfo, *, digests: bool = False) -> SyncScheduler:
        """`schedule`: BACKBONE_SCHEDULE (a cron expression, or off); ConfigError naming it when it is not one."""
        return cls(runner, parse_schedule(schedule, tz), tz, digests=digests)

    @classmethod
    def nightly(cls, runner: SyncRunner) -> SyncScheduler:
        """The nightly job of `backbone serve`, from the runner's settings; ConfigError naming BACKBONE_SCHEDULE when
        it is no cron schedule."""
        backbone = runner.backbone
        return cls.from_schedule(runner, backbone.settings.schedule, backbone.tz, digests=bool(backbone.settings.smtp_url))

    def run_due(self) -> None:
        """The job: a run; skipped quietly when one is going (here, or `backbone sync` elsewhere)."""
        with speaking(self.runner.backbone.settings.language):  # APScheduler's thread: BACKBONE_LANGUAGE, as the nightly run writes
            status = self.runner.run(origin="schedule")
            if status is not None and status.result != "busy" and self.digests:
                self.runner.backbone.notify_after_sync(status.run_id, failure=status.error)  # never raises; recorded

    def next_run(self) -> dt.datetime | None:
        if self.job is not None and self.scheduler.running:
            job = self.scheduler.get_job("sync")  # the stored job carries the time APScheduler will use
            return local(job.next_run_time if job else None, self.tz)
        return next_run_after(self.trigger, self.clock())

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)  # a run in progress is waited for by the service, not here
