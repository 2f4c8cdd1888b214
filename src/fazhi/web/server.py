"""Serving the application with gunicorn: one worker process per core, each with threads.

A single Python process runs one request's Python at a time (the GIL), so on a 2-core
server the second core would only ever wait on SQLite; gunicorn's pre-forked workers use
both. The scheduler (`fazhi.scheduler`: patrol tick, figures, nightly jobs) must run once,
not once per worker, so the master starts it as its own process — `fazhi patrol schedule`,
the command cron-less deployments use — and stops it on exit; the kernel stops it too if the
master dies. Static files (styles, scripts, fonts) are served by the application itself
through WhiteNoise: police intranets have no CDN.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from typing import Any

from django.db import connections
from gunicorn.app.base import BaseApplication

THREADS = 8  # per worker: requests waiting on the database overlap
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child receives when its parent dies


def default_workers() -> int:
    return os.cpu_count() or 1


SCHEDULER_NICENESS = 10  # background counts yield the cores to the requests of waiting users


def _prepare_scheduler() -> None:
    """Run in the scheduler child before exec: SIGTERM it when the master dies, and lower its
    priority (a city's 首页 figures take one core for about 20 s every few minutes)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    os.nice(SCHEDULER_NICENESS)


class _Scheduler:
    """The scheduler process of one server."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, server: Any) -> None:
        connections.close_all()  # nothing open is inherited by the forked workers
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fazhi.cli", "patrol", "schedule"],
            preexec_fn=_prepare_scheduler,
        )

    def stop(self, server: Any) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def serve(host: str, port: int, *, workers: int | None = None, scheduler: bool = True) -> None:
    """Serve until stopped (SIGTERM or Ctrl+C); with `scheduler`, the patrol ticks every
    minute meanwhile."""
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": THREADS,
        # on stop, requests under way get this long to finish (a count of 首页 figures may
        # take longer; it is simply counted again)
        "graceful_timeout": 10,
        # idle browser connections stay open while their user reads the page (gunicorn's 2 s
        # default closes them just as the next click reuses them)
        "keepalive": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "fazhi",
    }
    if scheduler:
        process = _Scheduler()
        options.update(on_starting=process.start, on_exit=process.stop)
    _Gunicorn(options).run()
