"""Keeping the ledger in step with case records between nightly recomputes.

When an import changes a few cases (`fazhi.ingest.load.import_files`, after the patrol has
re-derived their warnings in the same transaction), the people who handle them, or whose
warnings sit on them, are scored again for the open periods (those containing the day of the
change) of every scheme whose items read cases or warnings. Only their entries are compared and
only the differences posted — reversing entries and new awards, on the audit trail — exactly as
a full recompute of the period would post them for these people.

A period nobody has scored yet is left alone: a ledger holding a few people would read as a
finished ranking; its first recompute scores everyone. A large batch (its patrol runs after
the commit) is left to the nightly recompute, as are changes to closed periods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from fazhi.apps.assessment import ledger
from fazhi.apps.assessment.models import LedgerEntry
from fazhi.apps.assessment.schemes import shipped_schemes
from fazhi.apps.assessment.store import facts_from_store
from fazhi.apps.cases.models import CaseHandler
from fazhi.apps.patrol.models import Warning
from fazhi.core.scoring import AssessmentPeriod, Scheme, period_containing, scheme_in_force
from fazhi.core.scoring.engine import facts_read, score_scheme

ACTOR = "assessment.incremental"
# The fact kinds a change of a case's records can move: its handlers, its events (closing),
# and the warnings the patrol derives from them.
CASE_FACTS = frozenset({"cases", "warnings"})


def affected_people(case_ids: Collection[str]) -> set[str]:
    """Who handles these cases or bears a warning on them."""
    ids = sorted(case_ids)
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT person_id FROM {CaseHandler._meta.db_table} WHERE case_id IN ({marks})
        UNION
        SELECT person_id FROM {Warning._meta.db_table}
        WHERE case_id IN ({marks}) AND person_id IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, ids + ids)
        return {person for (person,) in cursor.fetchall()}


def open_periods(day: datetime) -> Iterator[tuple[Scheme, AssessmentPeriod]]:
    """Each scheme reading cases or warnings, with each period of it that contains `day`,
    under the version in force on the period's first day."""
    today = timezone.localdate(day)
    schemes = shipped_schemes()
    for code in sorted({s.code for s in schemes}):
        current = scheme_in_force(schemes, code, today)
        if current is None:
            continue
        for kind in current.periods:
            period = period_containing(today, kind)
            scheme = scheme_in_force(schemes, code, period.start)
            if scheme and kind in scheme.periods and facts_read(scheme) & CASE_FACTS:
                yield scheme, period


def cases_changed(case_ids: Collection[str], now: datetime, *, actor: str = ACTOR) -> int:
    """Re-score the people of these cases for the open, already scored periods, in the
    caller's transaction; returns how many entries were posted (reversals included)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the ledger update belongs in the transaction of the change")
    people = affected_people(case_ids) if case_ids else set()
    if not people:
        return 0
    runs: dict[tuple[str, str], list[tuple[Scheme, AssessmentPeriod]]] = defaultdict(list)
    for scheme, period in open_periods(now):
        runs[scheme.code, scheme.version].append((scheme, period))
    scored = _scored({(s.code, p.text) for pairs in runs.values() for s, p in pairs})
    written = 0
    shared: dict[tuple[str, str], list] = {}  # the people's facts, read once for all schemes
    for pairs in runs.values():
        scheme = pairs[0][0]
        periods = [p for _, p in pairs if (scheme.code, p.text) in scored]
        if not periods:
            continue
        # The open periods are nested (each contains today), and every scorer keeps to its
        # period's days: the facts of the longest serve them all, read once.
        longest = max(periods, key=lambda p: p.days)
        found = facts_from_store(scheme, longest, people, shared)
        awards = {
            p: [a for card in score_scheme(scheme, p, found) for a in card.awards] for p in periods
        }
        posting = ledger.post_periods(scheme, awards, actor=actor, at=now, persons=people)
        written += posting.posted + posting.reversed
    return written


def _scored(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (scheme, period) have any entry: an index probe each, in one query."""
    if not keys:
        return set()
    table = LedgerEntry._meta.db_table
    probe = f"SELECT %s, %s WHERE EXISTS (SELECT 1 FROM {table} WHERE scheme = %s AND period = %s)"
    params = [value for scheme, period in sorted(keys) for value in (scheme, period) * 2]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([probe] * len(keys)), params)
        return {(scheme, period) for scheme, period in cursor.fetchall()}
