"""The REST API under /api/: Django REST framework, OpenAPI 3 by drf-spectacular, and Swagger UI
from drf-spectacular-sidecar.

Why these: DRF gives session authentication with CSRF (the browser) beside our own bearer
tokens (machine clients) through one authentication setting, and serializers that double as
the OpenAPI description. drf-spectacular-sidecar ships the Swagger UI build inside the Python
package and the docs page refers to it through Django's static files, so /api/docs works on an
intranet with no internet. django-ninja was the alternative; its docs page loads Swagger UI
from a CDN unless assets are vendored by hand, and it has no session/CSRF story as settled as
DRF's.
"""
