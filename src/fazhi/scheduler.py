"""Periodic work on a real scheduler (APScheduler) in the serving process: the patrol's
`services.tick` every minute, so due_soon → overdue and escalation happen without anyone
looking; the assessment's nightly scoring and leaderboards at 00:30.
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


def run_nightly_assessment() -> None:
    from fazhi.apps.assessment.jobs import nightly

    close_old_connections()
    try:
        for done in nightly(timezone.now()):
            log.info(
                "积分计算：%s %s，新增 %s，冲销 %s",
                done.scheme,
                done.period,
                done.posted,
                done.reversed,
            )
    except Exception:  # tomorrow night tries again; the error is in the log
        log.exception("夜间积分计算失败")
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
    scheduler.add_job(
        run_nightly_assessment,
        "cron",
        hour=0,
        minute=30,
        id="assessment.nightly",
        max_instances=1,
        coalesce=True,
    )
    if background:
        scheduler.start()
    return scheduler
