"""Serving the application with waitress, a pure-Python production WSGI server.

Static files (styles, scripts, fonts) are served by the application itself through
WhiteNoise: police intranets have no CDN.
"""

from __future__ import annotations

from django.core.wsgi import get_wsgi_application


def serve(host: str, port: int, *, scheduler: bool = True) -> None:
    """Serve until stopped; with `scheduler`, the patrol ticks every minute meanwhile."""
    from waitress import serve as waitress_serve

    if scheduler:
        from fazhi.scheduler import start_scheduler

        start_scheduler()
    waitress_serve(get_wsgi_application(), host=host, port=port, threads=8, ident="fazhi")
