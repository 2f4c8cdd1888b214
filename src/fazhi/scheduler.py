"""Periodic work on a real scheduler (APScheduler) in the serving process: the patrol's
`services.tick` every minute, so due_soon → overdue and escalation happen without anyone
looking; 首页's figures counted again before they expire (`fazhi.apps.figures`); the
assessment's nightly scoring and leaderboards at 00:30; the planner's statistics at 03:00.
`fazhi patrol tick` does one run for cron-style deployments; `tick` is compare-and-set, so
several processes may run it at once."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)


def _logged(job: Callable[[], object], failure: str) -> None:
    """Run one job on fresh connections; the next run tries again, the error is in the log."""
    close_old_connections()
    try:
        job()
    except Exception:
        log.exception(failure)
    finally:
        close_old_connections()


def run_figures_refresh() -> None:
    from fazhi.apps.figures import refresh_due

    _logged(lambda: log.info("首页统计：重新统计 %s 项", refresh_due()), "首页统计失败")


def run_analyze() -> None:
    from fazhi.apps.planner import analyze

    _logged(analyze, "更新查询统计信息失败")


def run_tick() -> None:
    from fazhi.apps.patrol.services import tick

    _logged(lambda: log.info("定时巡查：%s", tick(timezone.now())), "定时巡查失败")


def run_nightly_assessment() -> None:
    from fazhi.apps.assessment.jobs import nightly

    def score() -> None:
        for done in nightly(timezone.now()):
            log.info(
                "积分计算：%s %s，新增 %s，冲销 %s",
                done.scheme,
                done.period,
                done.posted,
                done.reversed,
            )

    _logged(score, "夜间积分计算失败")


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
        run_figures_refresh,
        "interval",
        seconds=seconds,
        id="figures.refresh",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        run_analyze, "cron", hour=3, minute=0, id="planner.analyze", max_instances=1, coalesce=True
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
