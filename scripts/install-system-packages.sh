#!/usr/bin/env bash
# Installs the Debian packages wuxiao needs, when missing and when we may (root + apt).
#   fonts-noto-cjk        Chinese glyphs in PDFs and screenshots
#   fonts-hanazono        rare CJK characters (Extension A/B, e.g. U+20000) in names, PDF fallback
#   libharfbuzz-subset0   font subsetting; without it WeasyPrint takes ~9 s a page
#   poppler-utils         pdftoppm/pdftotext, to look at and test generated PDFs
#   chromium              headless browser for the browser tests
#   libreoffice-writer-nogui, libreoffice-calc-nogui
#                         headless office suite: the tests convert every docx/xlsx to PDF
#                         to check page counts and clipped text as an office prints them
#   python3.11-venv       venv for the distribution's python3.11 (see the Makefile's PYTHON)
set -euo pipefail
packages=(fonts-noto-cjk fonts-hanazono libharfbuzz-subset0 poppler-utils chromium
  libreoffice-writer-nogui libreoffice-calc-nogui)
# The Makefile makes the virtualenv with the distribution's python3.11 when there is one
# (optimised build): its venv module is a package of its own on Debian.
[ -x /usr/bin/python3.11 ] && packages+=(python3.11-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "缺少系统软件包：${missing[*]}。请以 root 运行：apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "安装系统软件包：${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
