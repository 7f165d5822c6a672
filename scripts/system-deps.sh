#!/usr/bin/env bash
# Debian packages the reader needs, by purpose:
#   pdf   xelatex with xeCJK, Noto CJK and FreeFont, latexmk, poppler (make pdf / pdf-hant)
#   epub  epubcheck, which validates the EPUBs (make epub / epub-hant)
#   test  all of pdf and epub, plus Chromium for the browser tests (make test)
# Installs what is missing when running as root; otherwise prints the command to run.
set -euo pipefail
purpose="${1:-test}"

need=()
# (grep reads all of fc-list's output: grep -q under pipefail would fail on SIGPIPE)
fonts="$(fc-list 2>/dev/null || true)"
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
grep -c "Noto Serif CJK" <<<"$fonts" >/dev/null || need+=(fonts-noto-cjk)
grep -c FreeSerif <<<"$fonts" >/dev/null || need+=(fonts-freefont-otf)
command -v xelatex >/dev/null 2>&1 || need+=(texlive-xetex texlive-lang-chinese texlive-fonts-recommended)
kpsewhich marginfix.sty >/dev/null 2>&1 || need+=(texlive-latex-extra)
kpsewhich ulem.sty >/dev/null 2>&1 || need+=(texlive-plain-generic)
command -v latexmk >/dev/null 2>&1 || need+=(latexmk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ "$purpose" = "epub" ] || [ "$purpose" = "test" ]; then
  command -v epubcheck >/dev/null 2>&1 || need+=(epubcheck)
fi
if [ "$purpose" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]}" >&2
  echo "Install them with: sudo apt-get install --no-install-recommends ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
