"""Import batches and their reports."""

from __future__ import annotations

from django.db import models


class ImportBatch(models.Model):
    """One committed import. A batch that did not commit leaves no row at all."""

    started_at = models.DateTimeField(verbose_name="开始时间")
    finished_at = models.DateTimeField(verbose_name="完成时间")
    actor = models.CharField(max_length=150, verbose_name="导入人")
    files = models.JSONField(default=list, verbose_name="文件")
    new = models.PositiveIntegerField(default=0, verbose_name="新增")
    updated = models.PositiveIntegerField(default=0, verbose_name="更新")
    unchanged = models.PositiveIntegerField(default=0, verbose_name="未变")
    rejected = models.PositiveIntegerField(default=0, verbose_name="拒收")
    problems = models.JSONField(default=list, verbose_name="错误报告")

    class Meta:
        verbose_name = "导入批次"
        ordering = ["-started_at"]
