"""`fazhi demo`: a working system on the embedded default in one command."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from fazhi.config import data_dir

DEMO_ACTOR = "demo"
DEMO_USER = "demo"


def _demo_password() -> str:
    """One random password per data folder, kept beside the database (never a fixed one)."""
    path = data_dir() / "demo-password.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def ensure_demo_user() -> tuple[str, str]:
    password = _demo_password()
    user, _ = get_user_model().objects.get_or_create(username=DEMO_USER)
    if not user.check_password(password):
        user.set_password(password)
        user.save()
    return DEMO_USER, password


STATE_NAMES = {"overdue": "超期未办", "due_soon": "即将到期", "late": "超期已办", "violated": "违规"}


def _patrol_summary() -> str:
    """The warnings the import's patrol raised on the stored bureau, counted by finding."""
    from django.db.models import Count

    from fazhi.apps.patrol.models import Warning

    counts = dict(Warning.objects.values_list("finding").annotate(n=Count("pk")))
    cases = Warning.objects.values("case_id").distinct().count()
    parts = "，".join(f"{name} {counts.get(state, 0)}" for state, name in STATE_NAMES.items())
    return f"巡查完成（{cases} 起案件有发现）：{parts}"


def prepare_demo(*, scale: str, out: Callable[[str], None]) -> None:
    from fazhi.apps.imports.models import ImportBatch
    from fazhi.cli import migrate
    from fazhi.demo import generate_bureau
    from fazhi.ingest.load import import_files

    migrate()
    out(f"数据目录：{data_dir()}")
    if ImportBatch.objects.filter(actor=DEMO_ACTOR).exists():
        out("演示数据已导入，跳过生成。")
    else:
        today = date.today()
        target = data_dir() / "demo" / f"{scale}-seed1-{today.isoformat()}"
        out(f"正在生成演示单位（{scale} 规模）……")
        generate_bureau(target, scale=scale, seed=1, date_from=today - timedelta(days=365), date_to=today)
        files = sorted(p for p in target.iterdir() if p.suffix == ".jsonl" and p.stem != "defects")
        out("正在导入（与用户导入同一路径）……")
        outcome = import_files(files, actor=DEMO_ACTOR, workdir=target)
        out(f"导入完成：新增 {outcome.new}，更新 {outcome.updated}，未变 {outcome.unchanged}，拒收 {len(outcome.problems)}")
        from django.utils import timezone

        from fazhi.apps.assessment.demo import load_demo_assessment

        out("正在生成并导入考评数据、计算五个考评方案……")
        for line in load_demo_assessment(
            target,
            seed=1,
            start=today - timedelta(days=365),
            end=today,
            actor=DEMO_ACTOR,
            at=timezone.now(),
        ):
            out(line)
    out(_patrol_summary())
    from fazhi.apps.accounts.demo import ensure_demo_accounts

    for username, role, unit, password in ensure_demo_accounts():
        out(f"演示账号：{username}（{role}，{unit}）　密码：{password}")
