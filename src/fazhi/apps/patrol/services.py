"""The one write path of the patrol store.

People act on warnings (签收, 备注, 申请核销, 审批核销, 整改完成); the scheduler moves time
(`tick`: 未到期 → 临期 → 超期, escalation rungs). Every transition is compare-and-set on the
warning's `revision` (or the obligation's `state`), so two people or two workers never both
act on one change; every one is recorded as a `WarningAction` and on the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q

from fazhi.apps.accounts.models import Grant, Role
from fazhi.apps.audit.chain import Change, append
from fazhi.apps.org.models import UnitClosure
from fazhi.apps.patrol import derive
from fazhi.apps.patrol.models import (
    ACTIVE_STATUSES,
    OPEN_STATES,
    EscalationRole,
    Obligation,
    ObligationState,
    Warning,
    WarningAction,
    WarningStatus,
)
from fazhi.apps.patrol.rebuild import evaluate_pending
from fazhi.core.patrol.escalation import CHAIN, next_rung_at, rung

# Who may approve an exception (核销) on a unit's warnings: the unit's head and the legal
# department above it, never the person who asked for it.
APPROVER_ROLES = frozenset({Role.UNIT_HEAD, Role.LEGAL_DEPARTMENT})


class StaleWarning(Exception):
    """The warning changed since the user saw it."""

    message = "该预警已被他人处理或已更新，请刷新后重试。"


class NotAllowed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _record(warning: Warning, actor: str, kind: str, note: str, before: str, at: datetime) -> None:
    WarningAction.objects.create(
        warning=warning,
        at=at,
        actor=actor,
        action=kind,
        note=note,
        status_before=before,
        status_after=warning.status,
    )
    append(
        [
            Change(
                actor,
                f"warning.{kind}",
                "warning",
                str(warning.pk),
                json.dumps({"status": before}, ensure_ascii=False),
                json.dumps({"status": warning.status, "note": note}, ensure_ascii=False),
            )
        ],
        at,
    )


@transaction.atomic
def _transition(
    warning: Warning,
    revision: int,
    *,
    actor: str,
    kind: str,
    note: str,
    at: datetime,
    allowed: tuple[str, ...],
    **changes: object,
) -> Warning:
    """Compare-and-set: apply `changes` only if the warning is still at `revision` and in
    one of the `allowed` statuses; then record the action."""
    before = warning.status
    count = Warning.objects.filter(pk=warning.pk, revision=revision, status__in=allowed).update(
        revision=F("revision") + 1, **changes
    )
    if count != 1:
        raise StaleWarning(StaleWarning.message)
    warning.refresh_from_db()
    _record(warning, actor, kind, note, before, at)
    return warning


def acknowledge(warning: Warning, user, revision: int, at: datetime) -> Warning:
    """签收: the handler or their superiors have seen it and take it on."""
    return _transition(
        warning,
        revision,
        actor=user.get_username(),
        kind=WarningAction.Kind.ACKNOWLEDGE,
        note="",
        at=at,
        allowed=(WarningStatus.OPEN,),
        status=WarningStatus.ACKNOWLEDGED,
        acknowledged_at=at,
    )


def add_note(warning: Warning, user, note: str, revision: int, at: datetime) -> Warning:
    note = _required(note, "备注内容")
    return _transition(
        warning,
        revision,
        actor=user.get_username(),
        kind=WarningAction.Kind.NOTE,
        note=note,
        at=at,
        allowed=tuple(WarningStatus.values),
    )


def request_exception(warning: Warning, user, reason: str, revision: int, at: datetime) -> Warning:
    """申请核销: the duty is not owed or could not be met for a lawful reason."""
    reason = _required(reason, "核销理由")
    if warning.exception_requested:
        raise NotAllowed("该预警已有待审批的核销申请。")
    return _transition(
        warning,
        revision,
        actor=user.get_username(),
        kind=WarningAction.Kind.REQUEST_EXCEPTION,
        note=reason,
        at=at,
        allowed=ACTIVE_STATUSES,
        exception_requested=True,
    )


def decide_exception(
    warning: Warning, user, approve: bool, note: str, revision: int, at: datetime
) -> Warning:
    """审批核销: approved closes the warning (not the handler's fault); rejected keeps it."""
    if not warning.exception_requested:
        raise NotAllowed("该预警没有待审批的核销申请。")
    if not may_approve(user, warning):
        raise NotAllowed("只有本单位所队长或法制部门可以审批核销。")
    requester = (
        warning.actions.filter(action=WarningAction.Kind.REQUEST_EXCEPTION).order_by("-pk").first()
    )
    if requester is not None and requester.actor == user.get_username():
        raise NotAllowed("核销申请人不能审批自己的申请。")
    note = _required(note, "审批意见")
    changes: dict[str, object] = {"exception_requested": False}
    if approve:  # closed: not the handler's fault
        changes.update(status=WarningStatus.CLOSED, settled_at=at, next_escalation_at=None)
    return _transition(
        warning,
        revision,
        actor=user.get_username(),
        kind=WarningAction.Kind.APPROVE_EXCEPTION
        if approve
        else WarningAction.Kind.REJECT_EXCEPTION,
        note=note,
        at=at,
        allowed=ACTIVE_STATUSES,
        **changes,
    )


def resolve(warning: Warning, user, note: str, revision: int, at: datetime) -> Warning:
    """整改完成: for a violation (nothing later can meet it) the rectification is recorded
    by hand. A time duty is resolved by recording the act itself, not here."""
    if warning.obligation.state in OPEN_STATES:
        raise NotAllowed("期限类预警在录入办理行为后自动办结，不能手工整改。")
    note = _required(note, "整改情况")
    return _transition(
        warning,
        revision,
        actor=user.get_username(),
        kind=WarningAction.Kind.RESOLVE,
        note=note,
        at=at,
        allowed=ACTIVE_STATUSES,
        status=WarningStatus.RESOLVED,
        settled_at=at,
        next_escalation_at=None,
    )


def may_approve(user, warning: Warning) -> bool:
    granted = Grant.objects.filter(user_id=user.pk, role__in=APPROVER_ROLES).values("unit_id")
    return UnitClosure.objects.filter(
        ancestor_id__in=granted, descendant_id=warning.unit_id
    ).exists()


def _required(text: str, name: str) -> str:
    text = (text or "").strip()
    if not text:
        raise NotAllowed(f"请填写{name}。")
    return text


# --- the scheduler's work ------------------------------------------------------------------


@dataclass
class Tick:
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    refloated: int = 0
    pending: int = 0

    def __str__(self) -> str:
        return (
            f"临期 {self.due_soon}，超期 {self.overdue}，逐级推送 {self.escalated}，"
            f"重新计算 {self.refloated}，补算 {self.pending}"
        )


@transaction.atomic
def tick(now: datetime) -> Tick:
    """Move what time has moved since the last tick. Safe to run from several processes:
    each move is compare-and-set, so a row moved by one is skipped by the others."""
    result = Tick()
    result.pending = len(evaluate_pending(now, workers=0).cases)  # left by an interrupted batch
    floating = set(
        Obligation.objects.filter(floating=True, state__in=OPEN_STATES).values_list(
            "case_id", flat=True
        )
    )
    if floating:
        result.refloated = len(derive.reevaluate(floating, now).cases)
    moves = (
        (
            ObligationState.OVERDUE,
            Q(state__in=(ObligationState.PENDING, ObligationState.DUE_SOON), due_at__lt=now),
        ),
        (ObligationState.DUE_SOON, Q(state=ObligationState.PENDING, due_soon_at__lte=now)),
    )
    moved: list[int] = []
    for state, query in moves:
        for pk, old in Obligation.objects.filter(query).values_list("pk", "state"):
            if Obligation.objects.filter(pk=pk, state=old).update(state=state, evaluated_at=now):
                moved.append(pk)
                if state == ObligationState.OVERDUE:
                    result.overdue += 1
                else:
                    result.due_soon += 1
    if moved:
        points = derive.points_by_key(derive.catalogue())
        derive.sync_warnings(
            Obligation.objects.filter(pk__in=moved), now, points, derive.SYSTEM_ACTOR
        )
    result.escalated = escalate(now)
    return result


def escalate(now: datetime) -> int:
    """Push every active warning whose next rung has come up the chain."""
    points = derive.points_by_key(derive.catalogue())
    count = 0
    due = Warning.objects.filter(next_escalation_at__lte=now, status__in=ACTIVE_STATUSES)
    for warning in due.select_related("obligation").order_by("pk"):
        point = points.get((warning.control_point, warning.obligation.version))
        if point is None:
            continue
        step, role = rung(point, warning.at, now)
        if step <= warning.escalation:
            Warning.objects.filter(pk=warning.pk, revision=warning.revision).update(
                next_escalation_at=next_rung_at(point, warning.at, warning.escalation)
            )
            continue
        before = warning.status
        updated = Warning.objects.filter(pk=warning.pk, revision=warning.revision).update(
            escalation=step,
            escalated_to=role.value,
            revision=F("revision") + 1,
            next_escalation_at=next_rung_at(point, warning.at, step),
        )
        if updated:
            warning.refresh_from_db()
            _record(
                warning,
                derive.SYSTEM_ACTOR,
                WarningAction.Kind.ESCALATE,
                f"超期未办，推送至{EscalationRole(CHAIN[step].value).label}",
                before,
                now,
            )
            count += 1
    return count
