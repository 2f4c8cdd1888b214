"""Serving the application with waitress, a pure-Python production WSGI server."""

from __future__ import annotations

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application


def serve(host: str, port: int) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(StaticFilesHandler(get_wsgi_application()), host=host, port=port, threads=8,
                   ident="fazhi")
