"""A rebuild re-derives exactly what incremental re-evaluation stored; `diff` previews moves."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from fazhi.apps.audit.models import AuditEntry
from fazhi.apps.patrol import derive
from fazhi.apps.patrol.models import Obligation, PendingCase, Warning
from fazhi.apps.patrol.rebuild import compare, rebuild
from fazhi.core.legaltime import SHANGHAI
from fazhi.demo import generate_bureau
from fazhi.ingest.load import import_files

pytestmark = pytest.mark.django_db

AS_OF = datetime(2026, 6, 30, 12, 0, tzinfo=SHANGHAI)


def _split_by_time(folder: Path, out: Path) -> list[list[Path]]:
    """Three batches: the organisation and cases, then events before and after 2026-04-15 —
    the later batch touches cases the earlier ones already evaluated."""
    out.mkdir()
    cut = "2026-04-15"
    early, late = [], []
    for line in (folder / "event.jsonl").read_text(encoding="utf-8").splitlines():
        (early if json.loads(line)["at"] < cut else late).append(line)
    (out / "event-1.jsonl").write_text("\n".join(early) + "\n", encoding="utf-8")
    (out / "event-2.jsonl").write_text("\n".join(late) + "\n", encoding="utf-8")
    base = [folder / f"{t}.jsonl" for t in ("unit", "person", "grid", "case", "alarm", "subject")]
    return [base, [out / "event-1.jsonl"], [out / "event-2.jsonl"]]


@pytest.fixture(scope="module")
def bureau(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bureau")
    generate_bureau(
        folder, scale="mini", seed=7, date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)
    )
    return folder


@pytest.mark.parametrize("inline_limit", [10_000, 10], ids=["in-batch", "pending-then-parallel"])
def test_rebuild_equals_incremental_on_a_generated_bureau(
    bureau, tmp_path, monkeypatch, inline_limit
):
    monkeypatch.setattr(derive, "INLINE_LIMIT", inline_limit)
    monkeypatch.setattr(derive, "PARAMETERS", 7)  # statements over many ids come in parts
    for files in _split_by_time(bureau, tmp_path / "batches"):
        outcome = import_files(files, actor="tester", as_of=AS_OF, workers=0)
        assert not outcome.problems
    stored = Obligation.objects.count()
    assert stored > 500 and Warning.objects.count() > 10
    difference = compare(AS_OF, workers=0)
    assert difference.empty, (difference.created[:3], difference.changed[:3])
    outcome = rebuild(AS_OF, workers=0)
    assert (outcome.created, outcome.updated, outcome.withdrawn) == (0, 0, 0)
    assert Obligation.objects.count() == stored
    assert not PendingCase.objects.exists()


def test_cases_left_pending_by_an_interrupted_batch_are_finished_by_the_next_tick(
    bureau, monkeypatch
):
    from django.db import transaction

    from fazhi.apps.patrol.services import tick

    monkeypatch.setattr(derive, "INLINE_LIMIT", 0)
    # what a killed `fazhi import` leaves: records and pending marks, no obligations yet
    monkeypatch.setattr("fazhi.ingest.load.evaluate_pending", lambda *a, **k: None)
    import_files(
        [bureau / f"{t}.jsonl" for t in ("unit", "person", "case", "subject", "event")],
        actor="tester",
        as_of=AS_OF,
        workers=0,
    )
    assert PendingCase.objects.count() > 100 and not Obligation.objects.exists()
    with transaction.atomic():
        result = tick(AS_OF)
    assert result.pending > 100
    assert not PendingCase.objects.exists()
    assert compare(AS_OF, workers=0).empty


def test_a_rebuild_after_ticks_writes_nothing_and_a_moved_duty_is_rewritten(bureau):
    """The fingerprint leaves out the state that ticks move as time passes; what the
    derivation changes (a due time, the steps) changes it."""
    from django.db import transaction

    from fazhi.apps.patrol.services import tick

    imported = datetime(2026, 7, 1, 8, 0, tzinfo=SHANGHAI)  # after the bureau's last event
    import_files(
        [bureau / f"{t}.jsonl" for t in ("unit", "person", "case", "subject", "event")],
        actor="tester",
        as_of=imported,
        workers=0,
    )
    assert not Obligation.objects.filter(fingerprint__isnull=True).exclude(
        state="withdrawn"
    ).exists()
    later = imported + timedelta(days=5)
    with transaction.atomic():
        moved = tick(later)
    assert moved.overdue + moved.due_soon > 0
    outcome = rebuild(later, workers=0)
    assert (outcome.created, outcome.updated, outcome.withdrawn) == (0, 0, 0)
    victim = Obligation.objects.filter(due_at__isnull=False).order_by("pk").first()
    true_due, mark = victim.due_at, victim.fingerprint
    audited = AuditEntry.objects.count()
    # a fingerprint from before fingerprints (or another format) over the same values: the
    # row only takes the fresh fingerprint, unaudited
    Obligation.objects.filter(pk=victim.pk).update(fingerprint=None)
    outcome = rebuild(later, workers=0)
    assert (outcome.created, outcome.updated, outcome.withdrawn) == (0, 0, 0)
    victim.refresh_from_db()
    assert victim.fingerprint == mark and AuditEntry.objects.count() == audited
    # a row whose values moved (as a changed derivation would move them) is written again
    Obligation.objects.filter(pk=victim.pk).update(
        fingerprint="0" * 16, due_at=true_due + timedelta(days=1)
    )
    outcome = rebuild(later, workers=0)
    assert (outcome.created, outcome.updated, outcome.withdrawn) == (0, 1, 0)
    victim.refresh_from_db()
    assert (victim.due_at, victim.fingerprint) == (true_due, mark)
    assert AuditEntry.objects.count() == audited + 1


def test_rebuild_repairs_a_tampered_obligation(bureau):
    import_files(
        [bureau / f"{t}.jsonl" for t in ("unit", "person", "case", "subject", "event")],
        actor="tester",
        as_of=AS_OF,
        workers=0,
    )
    victim = Obligation.objects.filter(due_at__isnull=False).order_by("pk").first()
    true_due = victim.due_at
    Obligation.objects.filter(pk=victim.pk).update(due_at=true_due + timedelta(days=9))
    # the fingerprint still matches: only a full comparison sees the edit
    assert compare(AS_OF, workers=0).empty
    assert rebuild(AS_OF, workers=0).updated == 0
    difference = compare(AS_OF, workers=0, full=True)
    assert [key for key, _ in difference.changed] == [victim.key]
    assert not difference.created and not difference.withdrawn
    outcome = rebuild(AS_OF, workers=0, full=True)
    assert outcome.updated == 1
    victim.refresh_from_db()
    assert victim.due_at == true_due


def test_a_holiday_notice_moves_only_the_duties_that_shift_for_holidays(bureau):
    from fazhi.apps.patrol import derive
    from fazhi.apps.patrol.cli import with_notice

    import_files(
        [bureau / f"{t}.jsonl" for t in ("unit", "person", "case", "subject", "event")],
        actor="tester",
        as_of=AS_OF,
        workers=0,
    )
    open_due = Obligation.objects.filter(state__in=("pending", "due_soon"), due_at__isnull=False)
    days = {o.due_at.astimezone(SHANGHAI).date() for o in open_due}
    assert days, "the generated bureau has open duties on 2026-06-30"
    # declare every one of those days a rest day: days-counted periods that shift move
    notice = {d: ("rest", "测试假日") for d in days}
    calendar = with_notice(derive.calendar(), notice)
    difference = compare(AS_OF, workers=0, cal=calendar)
    moved = {key for key, fields in difference.changed if "due_at" in fields}
    assert moved
    for key in moved:
        row = Obligation.objects.get(key=key)
        old, new = dict(difference.changed)[key]["due_at"]
        assert new > old  # a holiday only ever pushes a due time later
        assert row.steps[0]["text"]  # explained
