#!/usr/bin/env bash
# Debian packages the reader needs: CJK fonts (screenshots, PDF) and Chromium (browser tests).
# Installs what is missing when running as root; otherwise prints the command to run.
set -euo pipefail

need=()
# (grep reads all of fc-list's output: grep -q under pipefail would fail on SIGPIPE)
fonts="$(fc-list 2>/dev/null || true)"
grep -c "Noto Serif CJK" <<<"$fonts" >/dev/null || need+=(fonts-noto-cjk)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
# The PDF: xelatex with xeCJK, Noto CJK, FreeFont for Latin text, latexmk, poppler for tests.
command -v xelatex >/dev/null 2>&1 || need+=(texlive-xetex texlive-lang-chinese texlive-fonts-recommended)
kpsewhich marginfix.sty >/dev/null 2>&1 || need+=(texlive-latex-extra)
kpsewhich ulem.sty >/dev/null 2>&1 || need+=(texlive-plain-generic)
grep -c FreeSerif <<<"$fonts" >/dev/null || need+=(fonts-freefont-otf)
command -v latexmk >/dev/null 2>&1 || need+=(latexmk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)

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
