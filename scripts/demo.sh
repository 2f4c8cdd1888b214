#!/usr/bin/env bash
# 一键演示：安装依赖、建库、生成并导入演示数据，启动 http://127.0.0.1:8000
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec uv run fazhi demo "$@"
