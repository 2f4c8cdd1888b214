#!/usr/bin/env bash
# 运行全部测试：先在 SQLite 上，再在本脚本自行启动的 PostgreSQL 15 临时集群上。
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
ensure_chromium  # Debian 的 chromium 与中文字体，供浏览器测试使用（已装则跳过）
source scripts/postgres.sh
start_postgres

echo "== 测试：SQLite =="
env -u FAZHI_DATABASE_URL FAZHI_DATA_DIR="$(mktemp -d)" uv run pytest "$@"
echo "== 测试：PostgreSQL =="
FAZHI_DATABASE_URL="$PG_URL" FAZHI_DATA_DIR="$(mktemp -d)" uv run pytest "$@"
