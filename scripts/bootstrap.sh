# Sourced by the other scripts: make sure uv exists and the locked environment is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet "uv>=0.5,<1"
fi
export UV_PYTHON_DOWNLOADS=never   # use the machine's CPython 3.11; nothing fetched at run time
uv sync --frozen --quiet
