"""`fazhi rank`, `ledger`, `assess`, `assess-import`, `assess-template`: the assessment for
scripts and outside checks.

`fazhi.cli` adds these parsers with `add_parsers(sub)` and dispatches to `HANDLERS`. Nothing
here imports Django at module level, so `fazhi -h` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fazhi.core import ceif

EXIT_OK, EXIT_REJECTED, EXIT_INVALID = 0, 1, 2


def add_parsers(
    subparsers: Any, formatter_class: type[argparse.HelpFormatter] = argparse.HelpFormatter
) -> None:
    """Add `rank`, `ledger`, `assess`, `assess-import` and `assess-template` to the `fazhi`
    subparsers."""

    def command(name: str, text: str) -> argparse.ArgumentParser:
        p = subparsers.add_parser(
            name, help=text, description=text, add_help=False, formatter_class=formatter_class
        )
        p.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        p._positionals.title = "参数"
        p._optionals.title = "选项"
        return p

    p = command("rank", "考核排名（按台账计算；该期尚未计分时先按方案重算）")
    _scheme_and_period(p)
    p.add_argument("--sequence", choices=list(ceif.SEQUENCES), help="只列出一个序列")
    p.add_argument("--format", choices=["json", "table"], default="table", help="输出格式")

    p = command("ledger", "一个人某期的积分台账明细")
    p.add_argument("--person", required=True, help="人员编号")
    p.add_argument("--period", required=True, help="期间：2026、2026-Q3、2026-09 或 2026-09-15")
    p.add_argument("--scheme", help="考核方案编号（默认全部方案）")
    p.add_argument("--format", choices=["json", "table"], default="table", help="输出格式")

    add_crowding_parser(command)

    p = command("assess", "按方案重算一期积分：只追加变化的台账记录，并生成排名快照")
    _scheme_and_period(p)
    p.add_argument("--actor", default="assess", help="审计日志中记录的操作人")

    p = command(
        "assess-import",
        "导入考评数据（评查、值班、考试、学法、任务清单、巡逻、办案任务）：JSON Lines，"
        "或 assess-template 生成的 CSV（每类一个文件，文件名含类型名）、XLSX（每类一张工作表，"
        "中英文表名均可）。退出码：0 全部有效，1 部分拒收，2 文件不可读",
    )
    p.add_argument(
        "files", nargs="+", type=Path, metavar="文件", help="文件或目录（*.jsonl、*.csv、*.xlsx）"
    )
    p.add_argument("--actor", default="import", help="审计日志中记录的导入人")
    p.add_argument("--format", choices=["json", "text"], default="text", help="输出格式")

    from fazhi.apps.assessment.tables import columns_help

    p = command(
        "assess-template",
        f"生成考评数据导入模板（表头为字段名和中文说明，填好后用 assess-import 导入）。各表的列：{columns_help()}",
    )
    p.add_argument("kind", choices=["xlsx", "csv"], help="xlsx：一个工作簿；csv：每类一个文件")
    p.add_argument("--out", type=Path, default=Path("."), metavar="目录", help="输出目录")


def add_crowding_parser(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = command(
        "crowding",
        "考核末期扎堆办案：计算一期（月、季度、年度）各人员、各单位末期办结占比并与本人以往、"
        "同类对比，保存结果并列出异常",
    )
    p.add_argument("--period", required=True, help="期间：2026、2026-Q3 或 2026-09")
    p.add_argument("--actor", default="crowding", help="审计日志中记录的操作人")
    p.add_argument("--format", choices=["json", "table"], default="table", help="输出格式")


def _scheme_and_period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scheme", required=True, help="考核方案编号，如 middle_manager_duty")
    p.add_argument("--period", required=True, help="期间：2026、2026-Q3、2026-09 或 2026-09-15")


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Set Django up, run, and turn a Chinese validation error into exit 2 on stderr."""

    def run(args: argparse.Namespace) -> int:
        from fazhi.cli import setup_django

        setup_django()
        from django.core.exceptions import ValidationError

        try:
            return handler(args)
        except ValidationError as exc:
            print("\n".join(exc.messages), file=sys.stderr)
            return EXIT_INVALID

    return run


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


@_guarded
def cmd_rank(args: argparse.Namespace) -> int:
    from fazhi.apps.assessment import selectors, services

    if not selectors.is_computed(args.scheme, args.period):
        services.recompute(args.scheme, args.period, actor="rank", at=_now())
    lines = selectors.ranking(args.scheme, args.period, args.sequence)
    if args.format == "json":
        rows = [
            {
                "person": line.person,
                "name": line.name,
                "unit": line.unit,
                "sequence": line.sequence,
                "score": float(line.score),
                "rank": line.rank,
            }
            for line in lines
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    for line in lines:
        move = "" if line.movement is None else f"{line.movement:+d}"
        print(
            f"{line.rank:>4}  {line.score:>8}  {move:>4}  {line.person}  {line.name}  {line.group}"
        )
    return EXIT_OK


@_guarded
def cmd_ledger(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from fazhi.apps.assessment import selectors, services
    from fazhi.apps.assessment.schemes import period_of
    from fazhi.apps.org.models import Person

    period = period_of(args.period)
    if not Person.objects.filter(pk=args.person).exists():
        raise ValidationError(f"人员 {args.person!r} 不存在")
    if args.scheme and not selectors.is_computed(args.scheme, period.text):
        services.recompute(args.scheme, period.text, actor="ledger", at=_now())
    rows = selectors.entries(args.person, period.text, args.scheme)
    if args.format == "json":
        out = [
            {
                "id": e.pk,
                "scheme": e.scheme,
                "item": e.item,
                "points": float(e.points),
                "reason": e.reason,
                "source": e.sources,
            }
            for e in rows
        ]
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    for e in rows:
        print(f"{e.pk:>8}  {e.scheme}  {e.item:<6} {e.points:>8}  {e.reason}")
    return EXIT_OK


@_guarded
def cmd_assess(args: argparse.Namespace) -> int:
    from fazhi.apps.assessment import services

    done = services.recompute(args.scheme, args.period, actor=args.actor, at=_now())
    print(
        f"{done.scheme}（版本 {done.version}）{done.period}：新增 {done.posted} 条，"
        f"冲销 {done.reversed} 条，排名 {done.snapshots} 组"
    )
    return EXIT_OK


@_guarded
def cmd_assess_import(args: argparse.Namespace) -> int:
    from fazhi.apps.assessment.imports import import_inputs
    from fazhi.ingest.sources import UnreadableFile

    paths = [p for f in args.files for p in (_input_files(f) if f.is_dir() else [f])]
    try:
        outcome = import_inputs(paths, actor=args.actor, at=_now())
    except UnreadableFile as err:
        print(f"无法读取 {err.file}：{err.reason}。未导入任何记录。", file=sys.stderr)
        return EXIT_INVALID
    if args.format == "json":
        print(
            json.dumps(
                {"created": outcome.created, "rejected": outcome.problems}, ensure_ascii=False
            )
        )
    else:
        created = "，".join(f"{name} {n}" for name, n in outcome.created.items()) or "无"
        print(f"新增：{created}；拒收 {len(outcome.problems)} 条")
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
    return EXIT_REJECTED if outcome.problems else EXIT_OK


def _input_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in {".jsonl", ".csv", ".xlsx"})


def cmd_assess_template(args: argparse.Namespace) -> int:
    from fazhi.apps.assessment.tables import write_templates

    for path in write_templates(args.kind, args.out):
        print(path)
    return EXIT_OK


@_guarded
def cmd_crowding(args: argparse.Namespace) -> int:
    from fazhi.apps.assessment.crowding import recompute_crowding
    from fazhi.apps.assessment.models import CrowdingFigure

    done = recompute_crowding(args.period, actor=args.actor, at=_now())
    rows = CrowdingFigure.objects.filter(period=done.period).order_by(
        "-unusual", "owner_kind", "owner_id"
    )
    if args.format == "json":
        out = [
            {
                "kind": r.owner_kind,
                "owner": r.owner_id,
                "period": r.period,
                "closures": r.closures,
                "tail": r.tail,
                "share": float(r.share),
                "baseline": None if r.baseline is None else float(r.baseline),
                "threshold": None if r.threshold is None else float(r.threshold),
                "peer_bar": float(r.peer_bar),
                "unusual": r.unusual,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False))
        return EXIT_OK
    print(f"{done.period}：{done.figures} 项，异常 {done.warnings} 项")
    for r in rows.filter(unusual=True):
        print(f"异常  {r.get_owner_kind_display()} {r.owner_id}  {r.tail}/{r.closures}  {r.share}")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "rank": cmd_rank,
    "ledger": cmd_ledger,
    "assess": cmd_assess,
    "assess-import": cmd_assess_import,
    "assess-template": cmd_assess_template,
    "crowding": cmd_crowding,
}
