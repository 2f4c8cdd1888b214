"""Obligations (法定义务) derived by the patrol core, and the warnings (预警) they raise.

An obligation's deadline is stored in indexed columns (`due_soon_at`, `due_at`) so that what
falls due is one cheap query; its `state` is moved by the scheduler as time passes and by
re-evaluation when the case's records change. Warnings carry the human workflow and a
`revision` for compare-and-set transitions.
"""

from __future__ import annotations

from django.db import models

from fazhi.apps.cases.models import Case
from fazhi.apps.org.models import Person, Unit


class Level(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"
    CRITICAL = "critical", "严重"


class ObligationState(models.TextChoices):
    PENDING = "pending", "未到期"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"
    MET = "met", "已按期履行"
    LATE = "late", "逾期履行"
    EXCUSED = "excused", "无需履行"
    VIOLATED = "violated", "违规"
    WITHDRAWN = "withdrawn", "已撤销"


OPEN_STATES = (ObligationState.PENDING, ObligationState.DUE_SOON, ObligationState.OVERDUE)


class Finding(models.TextChoices):
    DUE_SOON = "due_soon", "临期"
    OVERDUE = "overdue", "超期"
    LATE = "late", "逾期办理"
    VIOLATED = "violated", "违规"


class WarningStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ACKNOWLEDGED = "acknowledged", "已签收"
    RESOLVED = "resolved", "已整改"
    CLOSED = "closed", "已核销"


ACTIVE_STATUSES = (WarningStatus.OPEN, WarningStatus.ACKNOWLEDGED)


class EscalationRole(models.TextChoices):
    LEAD_HANDLER = "lead_handler", "主办民警"
    LEGAL_OFFICER = "legal_officer", "法制员"
    UNIT_HEAD = "unit_head", "所队长"
    LEGAL_DEPARTMENT = "legal_department", "法制大队"
    BUREAU_LEADER = "bureau_leader", "局领导"


class Obligation(models.Model):
    key = models.CharField(max_length=255, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="obligations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64, null=True, verbose_name="涉案人员")
    control_point = models.CharField(max_length=16, verbose_name="控制点")
    version = models.CharField(max_length=16, null=True)
    area = models.CharField(max_length=32, verbose_name="领域")
    level = models.CharField(max_length=8, choices=Level.choices, verbose_name="风险等级")
    start_event = models.CharField(max_length=64)
    started_at = models.DateTimeField(verbose_name="起算时间")
    due_at = models.DateTimeField(null=True, verbose_name="到期时间")
    due_soon_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True, verbose_name="履行时间")
    end_event = models.CharField(max_length=64, null=True)
    state = models.CharField(max_length=10, choices=ObligationState.choices, verbose_name="状态")
    reported = models.JSONField(default=list)
    steps = models.JSONField(default=list)
    events = models.JSONField(default=list)
    provisional = models.BooleanField(default=False)
    floating = models.BooleanField(default=False)
    # digest of the columns above but `state` (`derive.fingerprint`): equal digest and state
    # mean a re-evaluation has nothing to write; null forces the next one to write the row
    fingerprint = models.CharField(max_length=16, null=True)
    evaluated_at = models.DateTimeField()

    class Meta:
        verbose_name = "法定义务"
        indexes = [
            models.Index(fields=["state", "due_soon_at"], name="obligation_due_soon_idx"),
            # the case and point ride along: listing what is due now reads the index alone,
            # not a table row per duty scattered over the file
            models.Index(
                fields=["state", "due_at", "case", "control_point"], name="obligation_due_idx"
            ),
            models.Index(
                fields=["unit", "control_point", "started_at"], name="obligation_unit_idx"
            ),
            models.Index(fields=["case"], name="obligation_case_idx"),
        ]


class Warning(models.Model):
    obligation = models.OneToOneField(Obligation, on_delete=models.PROTECT, related_name="warning")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="warnings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64, null=True, verbose_name="涉案人员")
    control_point = models.CharField(max_length=16, verbose_name="控制点")
    area = models.CharField(max_length=32, verbose_name="领域")
    level = models.CharField(max_length=8, choices=Level.choices, verbose_name="风险等级")
    finding = models.CharField(max_length=10, choices=Finding.choices, verbose_name="预警类型")
    status = models.CharField(
        max_length=12,
        choices=WarningStatus.choices,
        default=WarningStatus.OPEN,
        verbose_name="处理状态",
    )
    due_at = models.DateTimeField(null=True, verbose_name="到期时间")
    at = models.DateTimeField(verbose_name="预警时间点")
    opened_at = models.DateTimeField(verbose_name="预警生成时间")
    acknowledged_at = models.DateTimeField(null=True, verbose_name="签收时间")
    settled_at = models.DateTimeField(null=True, verbose_name="办结时间")
    exception_requested = models.BooleanField(default=False, verbose_name="已申请核销")
    escalation = models.PositiveSmallIntegerField(default=0, verbose_name="推送层级")
    escalated_to = models.CharField(
        max_length=20,
        choices=EscalationRole.choices,
        default=EscalationRole.LEAD_HANDLER,
        verbose_name="推送至",
    )
    next_escalation_at = models.DateTimeField(null=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "预警"
        indexes = [
            models.Index(fields=["next_escalation_at"], name="warning_escalation_idx"),
            models.Index(fields=["status", "finding", "at"], name="warning_status_idx"),
            models.Index(fields=["unit", "status", "at"], name="warning_unit_idx"),
            models.Index(fields=["person", "status"], name="warning_person_idx"),
            models.Index(fields=["case"], name="warning_case_idx"),
        ]


class WarningAction(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", "生成预警"
        FINDING = "finding", "预警升级"
        ACKNOWLEDGE = "acknowledge", "签收"
        NOTE = "note", "备注"
        REQUEST_EXCEPTION = "request_exception", "申请核销"
        APPROVE_EXCEPTION = "approve_exception", "批准核销"
        REJECT_EXCEPTION = "reject_exception", "驳回核销"
        RESOLVE = "resolve", "整改完成"
        ESCALATE = "escalate", "逐级推送"
        REOPEN = "reopen", "重新打开"

    warning = models.ForeignKey(Warning, on_delete=models.PROTECT, related_name="actions")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True, default="")
    status_before = models.CharField(max_length=12, choices=WarningStatus.choices, null=True)
    status_after = models.CharField(max_length=12, choices=WarningStatus.choices)

    class Meta:
        ordering = ["at", "pk"]


class SuppliedName(models.Model):
    """A bureau extension name (`x_` event kind or attribute) the stored data carries: the
    `needs_data` points that rely on it are active (see `core.patrol.supplied_names`)."""

    name = models.CharField(max_length=64, primary_key=True)


class PendingCase(models.Model):
    """A case whose records changed in a large batch and whose obligations are still to be
    derived. Written in the batch's own transaction, deleted in the transaction that stores
    the case's obligations: a crash in between leaves the mark, and the next patrol tick
    finishes the work (see `rebuild.evaluate_pending`)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
