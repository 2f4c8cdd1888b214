"""Assessment inputs (inspections, duty shifts, exams, study, tasks, patrol logs, quotas), the
append-only points ledger (积分台账), appeals (申诉) and ranking snapshots.

Inputs are written only through `services`; the ledger is written only by `services` too, and
the database itself refuses to update or delete ledger entries (see migration 0002): a wrong
entry is cancelled by a reversing entry that points at it.
"""

from __future__ import annotations

from django.db import models

from fazhi.apps.org.models import Grid, Person
from fazhi.core.scoring import InspectionMethod, Severity


def _choices(enum: type[InspectionMethod] | type[Severity]) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


class Inspection(models.Model):
    """One check of one item of a scheme for one person (评查); `severity` null = no problem."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="inspections", verbose_name="被评查人"
    )
    scheme = models.CharField(max_length=64, verbose_name="考核方案")
    item = models.CharField(max_length=32, verbose_name="评分项")
    method = models.CharField(
        max_length=8, choices=_choices(InspectionMethod), verbose_name="评查方式"
    )
    day = models.DateField(verbose_name="评查日期")
    finding = models.TextField(blank=True, default="", verbose_name="发现问题")
    severity = models.CharField(
        max_length=8, null=True, choices=_choices(Severity), verbose_name="情节"
    )
    evidence = models.TextField(blank=True, default="", verbose_name="证据说明")
    inspector = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="inspections_made", verbose_name="评查人"
    )
    recorded_at = models.DateTimeField(verbose_name="录入时间")

    class Meta:
        verbose_name = "履职评查"
        indexes = [models.Index(fields=["scheme", "day"], name="inspection_scheme_day_idx")]


class Rectification(models.Model):
    """The verified rectification of a problem an inspection found (整改核实): 回血 needs it."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="rectification"
    )
    verified_on = models.DateField(verbose_name="核实日期")
    verified_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name="核实人"
    )
    note = models.TextField(blank=True, default="", verbose_name="整改情况")
    recorded_at = models.DateTimeField(verbose_name="录入时间")

    class Meta:
        verbose_name = "整改核实"


class DutyShift(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="duty_shifts", verbose_name="值班人"
    )
    day = models.DateField(verbose_name="值班日期")
    hall_hours = models.DecimalField(max_digits=4, decimal_places=2, verbose_name="坐堂小时数")

    class Meta:
        verbose_name = "值班记录"
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="duty_shift_day")]
        indexes = [models.Index(fields=["day"], name="duty_shift_day_idx")]


class Exam(models.Model):
    name = models.CharField(max_length=200, verbose_name="考试名称")
    day = models.DateField(verbose_name="考试日期")

    class Meta:
        verbose_name = "考试"


class ExamScore(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="scores")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="exam_scores", verbose_name="考生"
    )
    score = models.DecimalField(max_digits=5, decimal_places=2, verbose_name="成绩")

    class Meta:
        verbose_name = "考试成绩"
        constraints = [models.UniqueConstraint(fields=["exam", "person"], name="exam_score_once")]


class StudyRecord(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="study_records", verbose_name="学习人"
    )
    day = models.DateField(verbose_name="学习日期")
    hours = models.DecimalField(max_digits=5, decimal_places=2, verbose_name="学时")
    topic = models.CharField(max_length=200, verbose_name="内容")

    class Meta:
        verbose_name = "学法记录"
        indexes = [models.Index(fields=["day"], name="study_day_idx")]


class TaskList(models.Model):
    """A community officer's task list for one month (任务清单)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="task_lists", verbose_name="社区民警"
    )
    month = models.DateField(verbose_name="月份")  # the first day of the month
    grid = models.ForeignKey(
        Grid, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="网格"
    )

    class Meta:
        verbose_name = "任务清单"
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="task_list_month")]


class Task(models.Model):
    task_list = models.ForeignKey(TaskList, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=200, verbose_name="任务")
    due_on = models.DateField(verbose_name="完成期限")
    done_on = models.DateField(null=True, verbose_name="完成日期")

    class Meta:
        verbose_name = "任务"
        indexes = [models.Index(fields=["due_on"], name="task_due_idx")]


class PatrolLog(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="patrol_logs", verbose_name="巡逻民警"
    )
    vehicle = models.CharField(max_length=32, verbose_name="车辆")
    day = models.DateField(verbose_name="日期")
    start = models.TimeField(verbose_name="开始时间")
    end = models.TimeField(verbose_name="结束时间")
    km = models.DecimalField(max_digits=7, decimal_places=2, verbose_name="里程（公里）")

    class Meta:
        verbose_name = "巡逻记录"
        indexes = [models.Index(fields=["day"], name="patrol_log_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="patrol_log_span"
            )
        ]


class CaseQuota(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="case_quotas", verbose_name="人员"
    )
    year = models.PositiveSmallIntegerField(verbose_name="年度")
    cases = models.PositiveIntegerField(verbose_name="办案任务（件）")

    class Meta:
        verbose_name = "年度办案任务"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="case_quota_year")]


class EntryKind(models.TextChoices):
    AWARD = "award", "计分"
    REVERSAL = "reversal", "重算冲销"  # the facts changed: the old entry no longer holds
    CORRECTION = "correction", "更正"  # a decision (appeal upheld, legal department): stays out


class LedgerEntry(models.Model):
    """One line of the points ledger; a person's score for a scheme and period is the sum of
    their entries. Never updated or deleted: `reverses` points at the entry it cancels."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="ledger_entries", verbose_name="人员"
    )
    scheme = models.CharField(max_length=64, verbose_name="考核方案")
    scheme_version = models.CharField(max_length=32, verbose_name="方案版本")
    period = models.CharField(max_length=10, verbose_name="考核期间")
    item = models.CharField(max_length=32, verbose_name="评分项")
    key = models.CharField(max_length=255)  # the award's identity across recomputations
    kind = models.CharField(max_length=12, choices=EntryKind.choices, verbose_name="类别")
    points = models.DecimalField(max_digits=9, decimal_places=2, verbose_name="分值")
    reason = models.TextField(verbose_name="原因")
    sources = models.JSONField(default=list, verbose_name="来源")
    reverses = models.OneToOneField(
        "self", null=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    at = models.DateTimeField(verbose_name="记账时间")
    actor = models.CharField(max_length=150, verbose_name="记账人")

    class Meta:
        verbose_name = "积分台账"
        indexes = [
            models.Index(fields=["scheme", "period", "person"], name="ledger_scheme_period_idx"),
            models.Index(fields=["person", "period"], name="ledger_person_period_idx"),
        ]


class AppealStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"


class Appeal(models.Model):
    """申诉: a person disputes one of their entries; the legal department decides."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(verbose_name="申诉理由")
    filed_by = models.CharField(max_length=150, verbose_name="申诉人")
    filed_at = models.DateTimeField(verbose_name="申诉时间")
    status = models.CharField(
        max_length=8,
        choices=AppealStatus.choices,
        default=AppealStatus.PENDING,
        verbose_name="状态",
    )
    decision = models.TextField(blank=True, default="", verbose_name="处理意见")
    decided_by = models.CharField(max_length=150, blank=True, default="", verbose_name="处理人")
    decided_at = models.DateTimeField(null=True, verbose_name="处理时间")

    class Meta:
        verbose_name = "申诉"
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status="pending"),
                name="appeal_one_pending",
            )
        ]


class RankingSnapshot(models.Model):
    """A ranking as it stood when taken (成绩单, 季度晾晒, 年度排名), per group."""

    scheme = models.CharField(max_length=64, verbose_name="考核方案")
    scheme_version = models.CharField(max_length=32, verbose_name="方案版本")
    period = models.CharField(max_length=10, verbose_name="考核期间")
    group = models.CharField(max_length=64, verbose_name="排名范围")
    taken_at = models.DateTimeField(verbose_name="生成时间")

    class Meta:
        verbose_name = "排名快照"
        indexes = [
            models.Index(
                fields=["scheme", "period", "group", "taken_at"], name="ranking_lookup_idx"
            )
        ]


class RankingRow(models.Model):
    snapshot = models.ForeignKey(RankingSnapshot, on_delete=models.PROTECT, related_name="rows")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=9, decimal_places=2, verbose_name="得分")
    rank = models.PositiveIntegerField(verbose_name="名次")
    movement = models.IntegerField(null=True, verbose_name="名次变化")

    class Meta:
        verbose_name = "排名"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "person"], name="ranking_row_person")
        ]


class Publication(models.Model):
    """A ranking made public (季度晾晒, 年度排名): the snapshots of every group as they stood
    when published, and the method they were scored under. Never changed afterwards: later
    recomputes take new snapshots, the published ones stay."""

    scheme = models.CharField(max_length=64, verbose_name="考核方案")
    scheme_version = models.CharField(max_length=32, verbose_name="方案版本")
    period = models.CharField(max_length=10, verbose_name="考核期间")
    snapshots = models.ManyToManyField(RankingSnapshot, related_name="publications")
    method = models.JSONField(verbose_name="评分办法")
    published_by = models.CharField(max_length=150, verbose_name="公布人")
    published_at = models.DateTimeField(verbose_name="公布时间")

    class Meta:
        verbose_name = "排名公布"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "period"], name="publication_once")
        ]


class CrowdingOwner(models.TextChoices):
    PERSON = "person", "人员"
    UNIT = "unit", "单位"


class CrowdingFigure(models.Model):
    """考核末期扎堆办案: one owner's share of a period's closures in its last weeks, with the own
    baseline and peer bar it was judged against (`fazhi.core.scoring.crowding`). Recomputing a
    period replaces its figures (they are derived from the cases, like a snapshot)."""

    owner_kind = models.CharField(
        max_length=8, choices=CrowdingOwner.choices, verbose_name="对象类别"
    )
    owner_id = models.CharField(max_length=64, verbose_name="对象编号")
    person = models.ForeignKey(
        Person, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    unit = models.ForeignKey(  # the person's unit, or the unit itself: what scope reads
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    peer_group = models.CharField(max_length=64, blank=True, default="", verbose_name="对比范围")
    period = models.CharField(max_length=10, verbose_name="考核期间")
    tail_start = models.DateField(verbose_name="末期起始日")
    closures = models.PositiveIntegerField(verbose_name="办结数")
    tail = models.PositiveIntegerField(verbose_name="末期办结数")
    share = models.DecimalField(max_digits=5, decimal_places=4, verbose_name="末期占比")
    baseline = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, verbose_name="本人以往中位数"
    )
    spread = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, verbose_name="本人以往离散度"
    )
    threshold = models.DecimalField(
        max_digits=6, decimal_places=4, null=True, verbose_name="本人异常线"
    )
    history = models.JSONField(default=list, verbose_name="以往各期占比")
    peer_bar = models.DecimalField(max_digits=5, decimal_places=4, verbose_name="同类对比线")
    peers = models.PositiveIntegerField(verbose_name="同类人数")
    unusual = models.BooleanField(verbose_name="异常")
    computed_at = models.DateTimeField(verbose_name="计算时间")

    class Meta:
        verbose_name = "末期扎堆办案"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "owner_kind", "owner_id"], name="crowding_once"
            )
        ]
        indexes = [models.Index(fields=["period", "unusual"], name="crowding_period_idx")]
