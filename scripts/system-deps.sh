#!/usr/bin/env bash
# System packages replikasi needs beside its Python dependencies (Debian names).
#
#   scripts/system-deps.sh          check; install what is missing (as root, or with
#                                   passwordless sudo, where apt-get exists)
#   scripts/system-deps.sh --check  check and report only, never install
#
# Required (exit 1 when missing): Python >= 3.11 with venv, and Pango, which WeasyPrint
# loads to lay out PDFs. Recommended (warning only): libharfbuzz-subset0 (font
# subsetting about 3x faster), fonts-liberation2 (the serif font, for DOCX), poppler-utils
# (tests that look at rendered pages), libreoffice-writer-nogui (tests that open DOCX) and
# chromium (a test that opens the verification page at phone width).
set -euo pipefail

check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

# Outputs are captured before grep: `cmd | grep -q` under pipefail fails at random when
# grep exits early and cmd dies of SIGPIPE.
has_lib() {
    local cache
    # ldconfig lives in /sbin, which is not on a normal user's PATH.
    cache=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
    grep -qF "$1" <<<"$cache"
}
has_python_venv() { python3 -c 'import ensurepip, venv' 2>/dev/null; }
has_serif_font() {
    local fonts
    if command -v fc-list >/dev/null; then
        fonts=$(fc-list 2>/dev/null || true)
        grep -qi 'Liberation Serif' <<<"$fonts"
    else
        compgen -G '/usr/share/fonts/truetype/liberation*/LiberationSerif-Regular.ttf' >/dev/null
    fi
}
has_poppler() { command -v pdftoppm >/dev/null && command -v pdfinfo >/dev/null; }
has_soffice() { command -v soffice >/dev/null; }
has_chromium() { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }

# package | required or recommended | check | what it is for
CHECKS=(
    "python3-venv|required|has_python_venv|python3 -m venv"
    "libpango-1.0-0|required|has_lib libpango-1.0.so.0|WeasyPrint (PDF rendering)"
    "libpangoft2-1.0-0|required|has_lib libpangoft2-1.0.so.0|WeasyPrint (PDF rendering)"
    "libharfbuzz-subset0|recommended|has_lib libharfbuzz-subset.so.0|3x faster PDF font subsetting"
    "fonts-liberation2|recommended|has_serif_font|Liberation Serif, the letters' font, for DOCX"
    "poppler-utils|recommended|has_poppler|pdftoppm/pdfinfo for tests that inspect pages"
    "libreoffice-writer-nogui|recommended|has_soffice|tests that open every DOCX as Word would"
    "chromium|recommended|has_chromium|a test that opens the verification page at phone width"
)

missing=()
missing_required=()
scan() {
    missing=()
    missing_required=()
    local line pkg level check why
    for line in "${CHECKS[@]}"; do
        IFS='|' read -r pkg level check why <<<"$line"
        if ! $check; then
            missing+=("$pkg")
            [[ "$level" == required ]] && missing_required+=("$pkg")
        fi
    done
    return 0
}

why_of() {
    local line pkg level check why
    for line in "${CHECKS[@]}"; do
        IFS='|' read -r pkg level check why <<<"$line"
        [[ "$pkg" == "$1" ]] && echo "$why"
    done
}

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: replikasi needs Python >= 3.11 as python3 (found: $(python3 --version 2>&1))" >&2
    exit 1
fi

scan
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "system packages: ok"
    exit 0
fi

# Install as root, or through sudo when it needs no password; never prompt.
sudo_cmd=()
can_install=0
if [[ $check_only -eq 0 ]] && command -v apt-get >/dev/null; then
    if [[ $(id -u) -eq 0 ]]; then
        can_install=1
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        can_install=1
        sudo_cmd=(sudo -n)
    fi
fi

apt_install() {
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [[ $can_install -eq 1 ]]; then
    echo "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq || echo "warning: apt-get update failed" >&2
    if ! apt_install "${missing[@]}"; then
        # One unknown package (an older release) must not block all the others.
        for pkg in "${missing[@]}"; do
            apt_install "$pkg" || echo "warning: could not install $pkg" >&2
        done
    fi
    scan
fi

for pkg in "${missing[@]}"; do
    if [[ " ${missing_required[*]} " == *" $pkg "* ]]; then
        echo "error: missing $pkg (required: $(why_of "$pkg"))" >&2
    else
        echo "warning: missing $pkg (recommended: $(why_of "$pkg"))" >&2
    fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
    prefix="sudo "
    [[ $(id -u) -eq 0 ]] && prefix=""
    echo "install them with: ${prefix}apt-get install ${missing[*]}" >&2
fi
if [[ ${#missing_required[@]} -gt 0 ]]; then
    exit 1
fi
exit 0
