# Sourced by the other scripts: make sure uv exists and the locked environment is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet "uv>=0.5,<1"
fi
export UV_PYTHON_DOWNLOADS=never   # use the machine's CPython 3.11; nothing fetched at run time
uv sync --frozen --quiet

# Debian's chromium drives the browser tests (Playwright's own browser download cannot reach its
# host from here), with the CJK font the style sheet names first, so screenshots read as Chinese.
# Called by .ci/run; the demo does not need a browser.
ensure_chromium() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
