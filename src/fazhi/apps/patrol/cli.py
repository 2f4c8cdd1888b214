"""`fazhi patrol rebuild|tick|diff`: the patrol over the store (the file patrol of the CEIF
contract, `fazhi patrol FILE`, is in `fazhi.cli`)."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

STORE_COMMANDS = ("rebuild", "tick", "diff", "schedule")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fazhi patrol", description="对数据库中的案件巡查")
    sub = p.add_subparsers(dest="patrol_command", metavar="子命令", required=True)
    r = sub.add_parser("rebuild", help="按案件分块并行重新推导全部法定义务与预警")
    r.add_argument("--as-of", help="巡查时点（默认当前时间）")
    r.add_argument("--workers", type=int, help="并行进程数（默认 CPU 核数，最多 2）")
    r.add_argument(
        "--full",
        action="store_true",
        help="逐列比对已存义务（较慢），可修复绕过本系统直接改动数据库的记录",
    )
    t = sub.add_parser("tick", help="执行一次定时巡查：推进临期、超期与逐级推送（供 cron 使用）")
    t.add_argument("--as-of", help="巡查时点（默认当前时间）")
    s = sub.add_parser("schedule", help="前台运行定时巡查，每分钟一次（Ctrl+C 退出）")
    s.add_argument("--seconds", type=int, default=60, help="间隔秒数（默认 60）")
    d = sub.add_parser("diff", help="预览节假日通知或控制点目录变更会移动哪些未办结义务（不写入）")
    what = d.add_mutually_exclusive_group(required=True)
    what.add_argument("--calendar", type=Path, help="节假日调整 CSV：日期,类型(休息/上班),名称")
    what.add_argument("--catalog", type=Path, help="新的控制点目录")
    d.add_argument("--as-of", help="巡查时点（默认当前时间）")
    d.add_argument("--workers", type=int)
    return p


def main(argv: list[str], setup: Callable[[], None], parse_as_of: Callable[[str], datetime]) -> int:
    args = parser().parse_args(argv)
    setup()
    from django.utils import timezone

    now = parse_as_of(args.as_of) if getattr(args, "as_of", None) else timezone.now()
    return HANDLERS[args.patrol_command](args, now)


def cmd_rebuild(args: argparse.Namespace, now: datetime) -> int:
    from fazhi.apps.patrol.rebuild import rebuild
    from fazhi.apps.planner import analyze

    outcome = rebuild(now, workers=args.workers, full=args.full)
    analyze()
    print(
        f"重建完成：新增义务 {outcome.created}，变更 {outcome.updated}，撤销 {outcome.withdrawn}；"
        f"新预警 {outcome.opened}，预警变更 {outcome.changed}"
    )
    return 0


def cmd_tick(args: argparse.Namespace, now: datetime) -> int:
    from fazhi.apps.figures import refresh_due
    from fazhi.apps.patrol.services import tick

    print(f"定时巡查完成：{tick(now)}")
    print(f"首页统计数字重新统计 {refresh_due()} 项")
    return 0


def cmd_schedule(args: argparse.Namespace, now: datetime) -> int:
    from fazhi.scheduler import start_scheduler

    scheduler = start_scheduler(seconds=args.seconds, background=False)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


def cmd_diff(args: argparse.Namespace, now: datetime) -> int:
    from fazhi.apps.patrol import derive
    from fazhi.apps.patrol.rebuild import compare
    from fazhi.core.catalog import CatalogueInvalid, load_catalogue

    cat, cal = None, None
    try:
        if args.catalog:
            cat = load_catalogue(args.catalog)
        else:
            cal = with_notice(derive.calendar(), read_notice(args.calendar))
    except (CatalogueInvalid, NoticeInvalid, OSError) as err:
        print(f"无法读取：{err}", file=sys.stderr)
        return 2
    difference = compare(now, workers=args.workers, cat=cat, cal=cal)
    for line in describe(difference):
        print(line)
    return 0


HANDLERS = {"rebuild": cmd_rebuild, "tick": cmd_tick, "diff": cmd_diff, "schedule": cmd_schedule}


class NoticeInvalid(ValueError):
    pass


_STATUS = {"休息": "rest", "放假": "rest", "rest": "rest", "上班": "working", "working": "working"}


def read_notice(path: Path) -> dict[date, tuple[str, str]]:
    """A holiday notice as rows `日期,类型,名称` (类型: 休息/放假 or 上班); a header row is
    allowed. Errors name the line."""
    rows: dict[date, tuple[str, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or (number == 1 and row[0].strip() in ("日期", "day", "date")):
                continue
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError:
                raise NoticeInvalid(f"{path.name} 第 {number} 行：日期“{row[0]}”无效") from None
            kind = row[1].strip() if len(row) > 1 else ""
            if kind not in _STATUS:
                raise NoticeInvalid(f"{path.name} 第 {number} 行：类型“{kind}”应为 休息 或 上班")
            rows[day] = (_STATUS[kind], row[2].strip() if len(row) > 2 else "")
    return rows


def with_notice(calendar, notice: dict[date, tuple[str, str]]):
    from dataclasses import replace

    from fazhi.core.legaltime import DayOverride, DayStatus

    overrides = dict(calendar.overrides)
    for day, (status, name) in notice.items():
        overrides[day] = DayOverride(
            DayStatus.WORKING if status == "working" else DayStatus.REST, name
        )
    years = set(calendar.complete_years) | {d.year for d in notice}
    return replace(calendar, overrides=overrides, complete_years=frozenset(years))


def describe(difference) -> list[str]:
    """The open duties a change would move, one line each, then a count."""
    from fazhi.apps.patrol.models import OPEN_STATES, Obligation

    keys = [key for key, _ in difference.changed]
    open_rows = {
        o.key: o
        for o in Obligation.objects.filter(key__in=keys, state__in=OPEN_STATES).only(
            "key", "case_id", "control_point", "subject_id", "due_at"
        )
    }
    lines = []
    for key, moved in difference.changed:
        row = open_rows.get(key)
        if row is None or "due_at" not in moved:
            continue
        old, new = moved["due_at"]
        lines.append(
            f"{row.case_id} {row.control_point} {row.subject_id or '-'}：到期时间 "
            f"{_local(old)} → {_local(new)}"
        )
    lines.append(
        f"共 {len(lines)} 项未办结义务的到期时间将改变；新增义务 {len(difference.created)}，"
        f"撤销 {len(difference.withdrawn)}，其他变化 {len(difference.changed) - len(lines)}"
    )
    return lines


def _local(value: datetime | None) -> str:
    from fazhi.core.legaltime import SHANGHAI

    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if value else "无"
