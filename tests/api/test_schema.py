"""The OpenAPI 3 description is valid and served; /api/docs uses only assets served here."""

from __future__ import annotations

import re

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_describes_the_api():
    response = Client().get("/api/schema", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # raises on any departure from the OpenAPI 3 JSON schema
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/cases/",
        "/api/cases/{case_id}/",
        "/api/records/",
        "/api/me/",
        "/api/warnings/",
        "/api/warnings/{id}/",
        "/api/rates/",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    assert "cookieAuth" in schema["components"]["securitySchemes"]
    records = schema["paths"]["/api/records/"]["post"]
    assert {"200", "400", "422"} <= set(records["responses"])
    assert set(records["requestBody"]["content"]) == {"application/json", "application/x-ndjson"}


def test_the_schema_generates_without_a_warning(tmp_path):
    # every view has a described request and response, so clients get typed models
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    schema = yaml.safe_load((tmp_path / "s.yaml").read_text(encoding="utf-8"))
    assert "/api/warnings/{id}/acknowledge/" in schema["paths"]


def test_the_schema_is_also_served_as_json():
    response = Client().get("/api/schema?format=json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "法治 接口"


def test_the_docs_page_loads_only_assets_served_by_this_server():
    client = Client()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"https?://", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 4  # favicon, css, two scripts
    for asset in assets:
        assert asset.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/"), asset
        assert b"".join(client.get(asset).streaming_content), asset
    assert '"validatorUrl": null' in html  # no schema sent to an outside validator
