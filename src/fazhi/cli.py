"""`fazhi` — the one command-line entry point (命令行入口)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from fazhi.api.cli import add_parser as add_token_parser
from fazhi.api.cli import cmd_token
from fazhi.apps.assessment.cli import HANDLERS as ASSESSMENT_HANDLERS
from fazhi.apps.assessment.cli import add_parsers as add_assessment_parsers
from fazhi.apps.patrol.cli import STORE_COMMANDS
from fazhi.apps.patrol.cli import main as patrol_store_main
from fazhi.config import catalogue_dir, data_dir

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    data_dir().mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        # argparse passes "" for subcommands' own usage lines: only None means "no prefix yet"
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fazhi",
        description="法治 — 执法办案风险预警与积分考评平台",
        formatter_class=ChineseHelpFormatter,
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    parser._positionals.title = "命令"
    parser._optionals.title = "选项"
    sub = parser.add_subparsers(dest="command", metavar="命令", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name, help=text, description=text, add_help=False, formatter_class=ChineseHelpFormatter
        )
        p.add_argument("-h", "--help", action="help", help="显示帮助并退出")
        p._positionals.title = "参数"
        p._optionals.title = "选项"
        return p

    p = command("demo", "一键演示：建库、生成并导入演示数据、巡查，然后启动网页服务")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
    p.add_argument(
        "--scale",
        default="county",
        choices=["mini", "county", "city"],
        help="演示数据规模（默认 county）",
    )
    p.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网页服务")

    p = command("serve", "启动网页服务")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
    p.add_argument("--workers", type=int, help="工作进程数（默认：CPU 核数）")

    command("migrate", "创建或升级数据库结构")

    p = command("import", "导入 CEIF 文件（JSON Lines、CSV、XLSX）")
    p.add_argument("files", nargs="+", type=Path, metavar="文件", help="要导入的文件或目录")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    p.add_argument("--actor", default="import", help="审计日志中记录的导入人")
    p.add_argument("--as-of", help="导入后巡查受影响案件所用的时点（默认当前时间）")

    p = command("template", "生成空白导入模板（含中文列说明）")
    p.add_argument("format", choices=["xlsx", "csv"], help="模板格式")
    p.add_argument("--out", type=Path, default=Path("."), help="输出目录（默认当前目录）")

    p = command("generate", "生成模拟单位的 CEIF 数据")
    p.add_argument(
        "--scale", required=True, choices=["mini", "county", "city", "province"], help="规模"
    )
    p.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同文件）")
    p.add_argument("--out", type=Path, required=True, help="输出目录")
    p.add_argument(
        "--from",
        dest="date_from",
        type=date.fromisoformat,
        help="起始日期（默认为截止日期前 365 天）",
    )
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, help="截止日期（默认今天）")
    p.add_argument(
        "--defect-share", type=float, default=0.03, help="注入程序瑕疵的案件比例（默认 0.03）"
    )

    p = command("audit", "审计日志")
    audit_sub = p.add_subparsers(dest="audit_command", metavar="子命令", required=True)
    audit_sub.add_parser("verify", help="校验审计日志哈希链，指出第一条被破坏的记录")

    p = command(
        "patrol",
        "对一个 CEIF 文件做离线巡查（不触及数据库）；"
        "对数据库巡查见 fazhi patrol rebuild|tick|diff|schedule -h",
    )
    p.add_argument("file", type=Path, metavar="文件", help="CEIF JSON Lines 文件")
    p.add_argument("--as-of", required=True, help="巡查时点，如 2026-03-05T09:00:00+08:00")
    p.add_argument("--format", choices=["json", "table"], default="json", help="输出格式")

    p = command("bench", "性能基准（打印数据）")
    bench_sub = p.add_subparsers(dest="bench_command", metavar="子命令", required=True)
    b = bench_sub.add_parser(
        "import", help="导入 city 规模数据到 SQLite 和 PostgreSQL，打印每秒记录数和内存峰值"
    )
    b.add_argument("--scale", default="city", choices=["mini", "county", "city", "province"])
    b.add_argument("--postgres", help="PostgreSQL 地址（默认自行启动临时集群）")
    b.add_argument("--skip-postgres", action="store_true", help="只测 SQLite")
    b.add_argument("--skip-sqlite", action="store_true", help="只测 PostgreSQL")
    b = bench_sub.add_parser(
        "patrol", help="巡查基准：导入、并行重建、单案增量巡查、列出临期/超期义务（打印数据）"
    )
    b.add_argument("--scale", default="city", choices=["mini", "county", "city", "province"])
    b.add_argument("--postgres", help="PostgreSQL 管理地址（默认测 SQLite）")
    b = bench_sub.add_parser(
        "assess",
        help="考评基准：重算一年内各方案全部期间、新增一事件后的台账增量更新（打印数据，SQLite）",
    )
    b.add_argument("--scale", default="city", choices=["mini", "county", "city"])
    b = bench_sub.add_parser(
        "web",
        help="网页负载基准：在 127.0.0.1 启动服务，并发虚拟用户访问首页、风险预警、案件页，"
        "打印各页 p50/p95/p99（SQLite）",
    )
    b.add_argument("--scale", default="city", choices=["mini", "county", "city"])
    b.add_argument("--users", type=int, default=20, help="并发虚拟用户数（默认 20）")
    b.add_argument("--seconds", type=float, default=60, help="施加负载的秒数（默认 60）")
    b.add_argument(
        "--think", type=float, default=0, help="每页之间的平均思考秒数（默认 0：连续请求）"
    )
    b.add_argument(
        "--ramp", type=float, default=0, help="虚拟用户在前若干秒内均匀进入（默认 0：同时进入）"
    )

    add_assessment_parsers(sub, ChineseHelpFormatter)
    add_token_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) > 1 and argv[0] == "patrol" and argv[1] in STORE_COMMANDS:
        return patrol_store_main(argv[1:], setup_django, parse_as_of)
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = HANDLERS[args.command]
    return handler(args)


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(p for p in path.iterdir() if p.suffix.lower() in {".jsonl", ".csv", ".xlsx"})
            )
        else:
            out.append(path)
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from fazhi.ingest.sources import UnreadableFile

    setup_django()
    from fazhi.ingest.load import import_files

    progress = _progress if sys.stderr.isatty() and args.format == "text" else None
    try:
        outcome = import_files(
            _expand(args.files),
            actor=args.actor,
            progress=progress,
            workdir=_workdir(),
            as_of=parse_as_of(args.as_of) if args.as_of else None,
        )
    except UnreadableFile as err:
        if args.format == "json":
            print(
                json.dumps(
                    {"error": str(err), "file": err.file, "reason": err.reason}, ensure_ascii=False
                )
            )
        print(f"无法读取 {err.file}：{err.reason}。本次未导入任何记录。", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.format == "json":
        print(json.dumps(outcome.as_dict(), ensure_ascii=False))
    else:
        for problem in outcome.problems:
            print(str(problem))
        print(
            f"导入完成：新增 {outcome.new}，更新 {outcome.updated}，未变 {outcome.unchanged}，"
            f"拒收 {len(outcome.problems)}（批次 {outcome.batch_id}）"
        )
    return EXIT_REJECTED if outcome.problems else EXIT_OK


def _workdir() -> Path:
    path = data_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress(phase: str, total: int | None) -> Callable[[int], None]:
    from tqdm import tqdm

    bar = tqdm(total=total, desc=phase, unit="条", file=sys.stderr, leave=False)
    return bar.update


def cmd_template(args: argparse.Namespace) -> int:
    from fazhi.ingest.templates import write_templates

    for path in write_templates(args.format, args.out):
        print(path)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from fazhi.demo import generate_bureau

    date_to = args.date_to or date.today()
    date_from = args.date_from or date_to - timedelta(days=365)
    if date_from > date_to:
        print("起始日期不能晚于截止日期", file=sys.stderr)
        return EXIT_UNREADABLE
    summary = generate_bureau(
        args.out,
        scale=args.scale,
        seed=args.seed,
        date_from=date_from,
        date_to=date_to,
        defect_share=args.defect_share,
    )
    print(json.dumps(summary.counts, ensure_ascii=False))
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    setup_django()
    from fazhi.apps.audit.chain import verify_chain

    count, broken = verify_chain()
    if broken:
        print(f"审计日志已被破坏：第 {broken.seq} 条 —— {broken.reason}（此前 {count} 条完好）")
        return 1
    print(f"审计日志完好：共 {count} 条，哈希链校验通过")
    return EXIT_OK


def parse_as_of(text: str) -> datetime:
    from fazhi.ingest.validate import FieldError, parse_time

    try:
        return parse_time(text, "--as-of")
    except FieldError as err:
        raise SystemExit(f"--as-of：{err.reason}") from None


def cmd_patrol(args: argparse.Namespace) -> int:
    """`fazhi patrol FILE --as-of TIME`: the CEIF patrol contract (shared/interchange/CEIF.md).

    The file is read into a private in-memory store (never the user's database); records and
    events after TIME are ignored; findings are printed as one JSON array sorted by case,
    subject, control point (or as a Chinese table). Exit 0 when it ran, 2 with the record,
    field and reason on stderr when the input is unreadable or invalid."""
    from fazhi.core.catalog import CatalogueInvalid, load_catalogue
    from fazhi.core.legaltime import HolidayCalendar
    from fazhi.core.patrol import patrol
    from fazhi.core.records import RECORD_TYPES
    from fazhi.ingest.batch import Batch, EmptyStore
    from fazhi.ingest.sources import UnreadableFile

    try:
        as_of = parse_as_of(args.as_of)
    except SystemExit as err:
        print(str(err), file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        catalogue = load_catalogue(catalogue_dir())
    except CatalogueInvalid as err:
        print(f"风险控制点目录无效：{err}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        with Batch(EmptyStore()) as batch:
            batch.add_file(args.file)
            batch.check()
            problems = batch.sorted_problems()
            records = (
                []
                if problems
                else [
                    s.record
                    for rtype in RECORD_TYPES
                    for chunk in batch.staged(rtype)
                    for s in chunk
                ]
            )
    except UnreadableFile as err:
        print(f"无法读取 {err.file}：{err.reason}", file=sys.stderr)
        return EXIT_UNREADABLE
    if problems:
        for problem in problems:
            print(str(problem), file=sys.stderr)
        return EXIT_UNREADABLE
    findings = patrol(records, catalogue, as_of, HolidayCalendar())
    if args.format == "json":
        print(json.dumps([f.to_json() for f in findings], ensure_ascii=False))
    else:
        names = {p.code: p.name for p in catalogue.points}
        print(_patrol_table(findings, names))
    return EXIT_OK


_PATROL_STATES_ZH = {
    "due_soon": "即将到期",
    "overdue": "超期",
    "late": "超期已办",
    "violated": "违规",
}


def _patrol_table(findings: list, names: dict[str, str]) -> str:  # type: ignore[type-arg]
    """Findings as a readable Chinese table (display width of CJK characters counted)."""
    import unicodedata

    if not findings:
        return "没有发现问题"

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    header = ["案件", "涉案人员", "控制点", "状态", "到期/发生时间"]
    rows = []
    for f in findings:
        item = f.to_json()
        when = item.get("due_at") or item["at"]
        rows.append(
            [
                f.case,
                f.subject or "（全案）",
                f"{f.control_point} {names.get(f.control_point, '')}".strip(),
                _PATROL_STATES_ZH.get(f.state.value, f.state.value),
                str(when).replace("T", " ").removesuffix("+08:00"),
            ]
        )
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"共 {len(findings)} 条")
    return "\n".join(lines)


def cmd_migrate(args: argparse.Namespace) -> int:
    setup_django()
    migrate(verbosity=1)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    from fazhi.web.server import serve

    serve(args.host, args.port, workers=args.workers)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    from fazhi.demo.run import prepare_demo
    from fazhi.web.server import serve

    prepare_demo(scale=args.scale, out=print)
    if not args.no_serve:
        print(f"网页服务：http://{args.host}:{args.port}/ （按 Ctrl+C 停止）", flush=True)
        serve(args.host, args.port)
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    if args.bench_command == "web":
        from fazhi.bench.web import run_web_benchmark

        return run_web_benchmark(
            scale=args.scale,
            users=args.users,
            seconds=args.seconds,
            think=args.think,
            ramp=args.ramp,
        )
    if args.bench_command == "assess":
        from fazhi.bench.assess import run_assess_benchmark

        return run_assess_benchmark(scale=args.scale)
    if args.bench_command == "patrol":
        from fazhi.bench.patrol import run_patrol_benchmark

        return run_patrol_benchmark(scale=args.scale, postgres=args.postgres)
    from fazhi.bench.imports import run_import_benchmark

    return run_import_benchmark(
        scale=args.scale,
        postgres=args.postgres,
        skip_postgres=args.skip_postgres,
        skip_sqlite=args.skip_sqlite,
    )


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "migrate": cmd_migrate,
    "import": cmd_import,
    "template": cmd_template,
    "generate": cmd_generate,
    "audit": cmd_audit,
    "patrol": cmd_patrol,
    "bench": cmd_bench,
    **ASSESSMENT_HANDLERS,
    "token": cmd_token,
}

if __name__ == "__main__":  # python -m fazhi.cli
    sys.exit(main())
