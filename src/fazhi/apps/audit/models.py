"""The append-only, hash-chained audit log (审计日志)."""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    """Chinese labels of the actions; kept off the column so a new action needs no migration."""

    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    IMPORT = "import", "导入"
    SIGN_IN = "sign_in", "登录"
    SIGN_OUT = "sign_out", "退出"
    EXPORT = "export", "导出"
    GRANT = "grant", "授权"
    REVEAL = "reveal", "查看个人信息"
    PATROL_EVALUATE = "patrol.evaluate", "巡查推导义务"
    WARNING_OPEN = "warning.open", "生成预警"
    WARNING_FINDING = "warning.finding", "预警变化"
    WARNING_ACKNOWLEDGE = "warning.acknowledge", "签收预警"
    WARNING_NOTE = "warning.note", "预警备注"
    WARNING_REQUEST_EXCEPTION = "warning.request_exception", "申请核销"
    WARNING_APPROVE_EXCEPTION = "warning.approve_exception", "批准核销"
    WARNING_REJECT_EXCEPTION = "warning.reject_exception", "驳回核销"
    WARNING_RESOLVE = "warning.resolve", "预警办结"
    WARNING_ESCALATE = "warning.escalate", "逐级推送"
    WARNING_REOPEN = "warning.reopen", "预警重新打开"


class AuditEntry(models.Model):
    """One change, never edited: `hash` covers this entry and the previous entry's hash.

    The database refuses UPDATE and DELETE on this table (triggers, see the migrations).
    """

    seq = models.BigIntegerField(primary_key=True, verbose_name="序号")
    at = models.DateTimeField(verbose_name="时间")
    actor = models.CharField(max_length=150, verbose_name="操作人")
    action = models.CharField(max_length=64, verbose_name="操作")  # labels: AuditAction
    object_type = models.CharField(max_length=32, verbose_name="对象类型")
    object_id = models.CharField(max_length=64, verbose_name="对象编号")
    before = models.TextField(null=True, verbose_name="修改前")
    after = models.TextField(null=True, verbose_name="修改后")
    batch_id = models.BigIntegerField(null=True, verbose_name="导入批次")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计记录"
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]


class AuditHead(models.Model):
    """The chain's tip; writers lock this row so entries are appended one chain at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
