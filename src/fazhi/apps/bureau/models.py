"""A bureau's own settings that the law leaves to it: corrections to the holiday calendar and
the thresholds it sets for the "立即/及时" control points (内部标准).

Rows change only through `services` (checked, audited); the patrol reads them through
`selectors`.
"""

from __future__ import annotations

from django.db import models


class HolidayOverride(models.Model):
    """The status of one day as the bureau declares it, winning over the holiday library: a
    notice the library does not have yet, or a local correction."""

    day = models.DateField(unique=True, verbose_name="日期")
    workday = models.BooleanField(verbose_name="工作日")
    note = models.CharField(max_length=100, blank=True, default="", verbose_name="说明")

    class Meta:
        verbose_name = "节假日调整"
        ordering = ["day"]


class CompleteYear(models.Model):
    """A year whose State Council notice the bureau has entered in full: its days count as
    known even where the library has no data (they are no longer provisional)."""

    year = models.PositiveSmallIntegerField(unique=True, verbose_name="年份")
    note = models.CharField(max_length=100, blank=True, default="", verbose_name="说明")

    class Meta:
        verbose_name = "已完整录入的年份"
        ordering = ["year"]


class InternalStandard(models.Model):
    """The bureau's threshold, in hours, for a control point whose law says only 立即 or 及时
    (the catalogue marks them `internal_standard` and gives a default period)."""

    control_point = models.CharField(max_length=16, unique=True, verbose_name="控制点编号")
    hours = models.PositiveIntegerField(verbose_name="时限（小时）")
    note = models.CharField(max_length=200, blank=True, default="", verbose_name="说明")

    class Meta:
        verbose_name = "内部标准"
        ordering = ["control_point"]
