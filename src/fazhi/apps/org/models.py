"""The organisation: units as a tree, people, and community grids. Ids are CEIF ids."""

from __future__ import annotations

from django.db import models

from fazhi.core import ceif
from fazhi.core.ceif import choices


class Unit(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="单位编号")
    name = models.CharField(max_length=200, verbose_name="名称")
    kind = models.CharField(max_length=20, choices=choices(ceif.UNIT_KINDS), verbose_name="类型")
    parent = models.ForeignKey(
        "self",
        null=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )
    code = models.CharField(max_length=64, null=True, verbose_name="机构代码")
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "单位"

    def __str__(self) -> str:
        return self.name


class UnitClosure(models.Model):
    """Every (ancestor, descendant) pair, so a subtree is one indexed lookup on any database."""

    ancestor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="unit_closure_pair")
        ]
        indexes = [models.Index(fields=["descendant", "depth"], name="unit_closure_up_idx")]


class Person(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="人员编号")
    name = models.CharField(max_length=100, verbose_name="姓名")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name="单位"
    )
    roles = models.JSONField(default=list, verbose_name="角色")
    is_auxiliary = models.BooleanField(default=False, verbose_name="辅警")
    sequence = models.CharField(
        max_length=20, null=True, choices=choices(ceif.SEQUENCES), verbose_name="序列"
    )
    qualification = models.CharField(
        max_length=16, null=True, choices=choices(ceif.QUALIFICATIONS), verbose_name="执法资格"
    )
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "人员"
        indexes = [models.Index(fields=["unit", "sequence"], name="person_unit_seq_idx")]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    id = models.CharField(max_length=64, primary_key=True, verbose_name="网格编号")
    name = models.CharField(max_length=200, verbose_name="名称")
    level = models.PositiveSmallIntegerField(
        choices=list(ceif.GRID_LEVELS.items()), verbose_name="层级"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="grids", verbose_name="所属单位"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级网格",
    )
    officers = models.ManyToManyField(Person, related_name="grids", verbose_name="社区民警")
    content_hash = models.CharField(max_length=32)

    class Meta:
        verbose_name = "网格"
