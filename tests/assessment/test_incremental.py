"""The ledger kept in step by imports: a small CEIF batch re-scores the people of its cases for
the open periods, and the ledger then stands exactly as a full recompute would leave it."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.db.models import Sum

from fazhi.apps.assessment import incremental, services, store
from fazhi.apps.assessment.imports import import_inputs
from fazhi.apps.assessment.models import LedgerEntry
from fazhi.apps.assessment.schemes import shipped_schemes
from fazhi.apps.audit.chain import verify_chain
from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.cases.models import Case, CaseHandler, Event
from fazhi.core.scoring import KINDS, score_scheme
from fazhi.core.scoring.facts import FACT_TYPES
from fazhi.demo import generate_bureau
from fazhi.ingest.load import import_files

AS_OF = datetime(2026, 6, 30, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OPEN = {"day": "2026-06-30", "month": "2026-06", "quarter": "2026-Q2", "year": "2026"}


@pytest.fixture(scope="module")
def bureau(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bureau")
    generate_bureau(
        root, scale="mini", seed=4, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
    )
    return root


@pytest.fixture
def scored(bureau, db) -> None:
    """The bureau imported with its assessment inputs, and every open period scored."""
    ceif = sorted(p for p in bureau.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
    import_files(ceif, actor="demo", as_of=AS_OF, workers=0)
    outcome = import_inputs(sorted((bureau / "assessment").glob("*.jsonl")), actor="demo", at=AS_OF)
    assert outcome.problems == []
    for scheme in shipped_schemes():
        for kind in scheme.periods:
            services.recompute(scheme.code, OPEN[kind.value], actor="demo", at=AS_OF)


def _open_cases(limit: int) -> list[Case]:
    """Cases opened this month and not yet closed, with a lead handler."""
    closed = Event.objects.filter(kind__in=store.CLOSING_EVENTS).values("case_id")
    rows = Case.objects.filter(opened_at__gte=datetime(2026, 6, 1, tzinfo=AS_OF.tzinfo))
    rows = rows.exclude(pk__in=closed).filter(handlers__role="lead").distinct()
    return list(rows.order_by("pk")[:limit])


def _closing_batch(tmp_path: Path, cases: list[Case]) -> Path:
    lines = []
    for n, case in enumerate(cases, 1):
        officers = list(
            CaseHandler.objects.filter(case=case)
            .order_by("position")
            .values_list("person_id", flat=True)
        )
        lines.append(
            {
                "type": "event",
                "id": f"E-NEW-{n}",
                "case": case.pk,
                "kind": "closed",
                "at": "2026-06-30T10:00:00+08:00",
                "officers": officers[:2],
            }
        )
    path = tmp_path / "closing.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    return path


def _case_schemes():
    return list(incremental.open_periods(AS_OF))


@pytest.mark.django_db
def test_a_small_import_brings_the_open_periods_ledger_to_what_a_recompute_gives(scored, tmp_path):
    cases = _open_cases(3)
    assert len(cases) == 3
    handlers = set(CaseHandler.objects.filter(case__in=cases).values_list("person_id", flat=True))
    last = LedgerEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    outcome = import_files([_closing_batch(tmp_path, cases)], actor="接口", as_of=AS_OF)
    assert outcome.problems == [] and outcome.new == 3
    posted = list(LedgerEntry.objects.filter(pk__gt=last))
    assert posted, "closing three cases must earn their handlers points"
    assert {e.actor for e in posted} == {"接口"}
    assert {e.person_id for e in posted} <= handlers
    assert {e.period for e in posted} <= set(OPEN.values())
    for case in cases:
        assert any(f"case:{case.pk}" in e.sources for e in posted), case.pk
    # every posted entry is on the audit trail, and the chain still holds
    audited = set(
        AuditEntry.objects.filter(object_type="ledger_entry").values_list("object_id", flat=True)
    )
    assert {str(e.pk) for e in posted} <= audited
    assert verify_chain()[1] is None
    # the ledger now equals a full scoring of each open period, and a full recompute of it
    # finds nothing left to post
    runs = _case_schemes()
    assert {s.code for s, _ in runs} == {"case_handling", "middle_manager_duty"}
    for scheme, period in runs:
        cards = score_scheme(scheme, period, store.facts_from_store(scheme, period))
        for card in cards:
            total = LedgerEntry.objects.filter(
                scheme=scheme.code, period=period.text, person_id=card.person.id
            ).aggregate(s=Sum("points"))["s"]
            assert (total or Decimal(0)) == card.score, (scheme.code, period.text, card.person)
        again = services.recompute(scheme.code, period.text, actor="demo", at=AS_OF)
        assert (again.posted, again.reversed) == (0, 0), (scheme.code, period.text)


@pytest.mark.django_db
def test_a_period_nobody_has_scored_is_left_for_its_first_recompute(bureau):
    ceif = sorted(p for p in bureau.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
    import_files(ceif, actor="demo", as_of=AS_OF, workers=0)
    case = _open_cases(1)[0]
    with transaction.atomic():
        Event.objects.create(
            id="E-NEW-1",
            case=case,
            kind="closed",
            at=AS_OF,
            officers=[],
            attrs={},
            content_hash="test",
        )
        assert incremental.cases_changed({case.pk}, AS_OF) == 0
    assert not LedgerEntry.objects.exists()


def test_the_update_refuses_to_run_outside_the_change_transaction():
    with pytest.raises(RuntimeError):
        incremental.cases_changed({"A-1"}, AS_OF)


@pytest.mark.django_db
def test_facts_read_by_person_and_by_period_are_the_same(scored):
    """A few people's facts are found by person, everyone's by period: the same facts."""
    for scheme in shipped_schemes():
        for kind in scheme.periods:
            period = services.period_of(OPEN[kind.value])
            everyone = store.facts_from_store(scheme, period)
            ids = [p.id for p in everyone.persons]
            named = store.facts_from_store(scheme, period, ids)
            assert named.persons == everyone.persons
            for kind_of_fact, rows in everyone.records.items():
                assert set(rows) == set(named.records[kind_of_fact]), (scheme.code, kind)
            assert any(everyone.records.values()), (scheme.code, period.text)


@pytest.mark.django_db
def test_facts_shared_across_schemes_are_those_each_scheme_reads_alone(scored):
    """An incremental update reads a few people's cases once for every scheme: each scheme
    still sees exactly its own population's facts."""
    period = services.period_of(OPEN["year"])
    schemes = [s for s in shipped_schemes() if "year" in {k.value for k in s.periods}]
    managers = [
        p.id for p in store.people(next(s for s in schemes if s.code == "middle_manager_duty"))
    ]
    officers = [p.id for p in store.facts_from_store(schemes[0], period).persons][:40]
    few = set(managers[:5]) | set(officers)
    shared: dict = {}
    for scheme in schemes:
        alone = store.facts_from_store(scheme, period, few)
        together = store.facts_from_store(scheme, period, few, shared)
        assert together.persons == alone.persons
        for kind, rows in alone.records.items():
            assert set(rows) == set(together.records[kind]), (scheme.code, kind)
    assert ("cases", period.text) in shared


def test_every_kind_names_the_facts_it_reads():
    for name, kind in KINDS.items():
        assert kind.reads and set(kind.reads) <= set(FACT_TYPES), name
