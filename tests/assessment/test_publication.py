"""晾晒: a published ranking is frozen with its method; only the legal department over everyone
ranked publishes, and only once."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.apps.accounts.models import Role
from fazhi.apps.assessment import services
from fazhi.apps.assessment.models import Publication, RankingRow
from fazhi.apps.audit.models import AuditEntry

from .conftest import AT

pytestmark = pytest.mark.django_db


def published_scores(publication: Publication) -> dict[str, D]:
    rows = RankingRow.objects.filter(snapshot__in=publication.snapshots.all())
    return {r.person_id: r.score for r in rows}


def test_a_published_ranking_keeps_its_scores_and_method_after_a_recompute(
    world, person, make_user
):
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    legal = make_user("fazhi", Role.LEGAL_DEPARTMENT, "U1")
    publication = services.publish_ranking("middle_manager_duty", "2026-Q1", by=legal, at=AT)
    assert published_scores(publication) == {"M1": D(100), "M2": D(100)}
    assert publication.method["name"] == "中层干部执法履职评查"
    assert [i["code"] for i in publication.method["items"]][:3] == ["D1", "D2", "D3"]
    services.record_duty_shift(
        person=person("M1"), day=date(2026, 3, 2), hall_hours=D(4), actor="tester", at=AT
    )
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    publication.refresh_from_db()
    assert published_scores(publication) == {"M1": D(100), "M2": D(100)}
    audit = AuditEntry.objects.get(object_type="publication")
    assert audit.actor == "fazhi" and json.loads(audit.after)["period"] == "2026-Q1"
    with pytest.raises(ValidationError) as error:
        services.publish_ranking("middle_manager_duty", "2026-Q1", by=legal, at=AT)
    assert "已公布，公布后不再变动" in error.value.messages[0]


def test_nothing_to_publish_before_the_period_is_scored(world, make_user):
    legal = make_user("fazhi", Role.LEGAL_DEPARTMENT, "U1")
    with pytest.raises(ValidationError) as error:
        services.publish_ranking("middle_manager_duty", "2026-Q2", by=legal, at=AT)
    assert error.value.messages == [
        "中层干部执法履职评查 2026-Q2 的排名 period：尚未计分，请先重算"
    ]


@pytest.mark.parametrize(("role", "unit"), [(Role.LEGAL_DEPARTMENT, "U2"), (Role.UNIT_HEAD, "U1")])
def test_only_a_legal_department_over_everyone_ranked_publishes(world, make_user, role, unit):
    services.recompute("middle_manager_duty", "2026-Q1", actor="tester", at=AT)
    outsider = make_user("outsider", role, unit)
    with pytest.raises(PermissionDenied):
        services.publish_ranking("middle_manager_duty", "2026-Q1", by=outsider, at=AT)
    assert not Publication.objects.exists()
