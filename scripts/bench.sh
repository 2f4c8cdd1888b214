#!/usr/bin/env bash
# 性能基准：导入 city 规模数据到 SQLite 和（本脚本启动的临时）PostgreSQL，打印每秒记录数和内存峰值。
# 用法：bash scripts/bench.sh [--scale county|city|province]
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source scripts/postgres.sh
start_postgres
uv run fazhi bench import --postgres "${PG_URL%/*}/postgres" "$@"
