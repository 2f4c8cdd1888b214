"""The scheduled patrol: a real scheduler (APScheduler) runs `services.tick` every minute in
the serving process, so due_soon → overdue and escalation happen without anyone looking.
`fazhi patrol tick` does one run for cron-style deployments; `tick` is compare-and-set, so
several processes may run it at once."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)


def run_tick() -> None:
    from fazhi.apps.patrol.services import tick

    close_old_connections()
    try:
        log.info("定时巡查：%s", tick(timezone.now()))
    except Exception:  # the next minute tries again; the error is in the log
        log.exception("定时巡查失败")
    finally:
        close_old_connections()


def start_scheduler(*, seconds: int = 60, background: bool = True):
    """A scheduler with the patrol job; started here when `background` (else the caller
    calls `.start()`, which blocks)."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (BackgroundScheduler if background else BlockingScheduler)(timezone="Asia/Shanghai")
    scheduler.add_job(
        run_tick,
        "interval",
        seconds=seconds,
        id="patrol.tick",
        max_instances=1,
        coalesce=True,
        next_run_time=timezone.now(),
    )
    if background:
        scheduler.start()
    return scheduler
