#!/usr/bin/env bash
# Build the PDF of one variant: scripts/build-pdf.sh hans|hant
# LaTeX sources in _build/latex[-hant], the PDF in _build/pdf/reader[-hant].pdf.
set -euo pipefail
variant="${1:-hans}"
if [ "$variant" = "hant" ]; then
  opts=(-D reader_variant=hant -D language=zh_TW)
  dir=_build/latex-hant
  out=_build/pdf/reader-hant.pdf
else
  opts=()
  dir=_build/latex
  out=_build/pdf/reader.pdf
fi
"${PYTHON:-.venv/bin/python}" -m sphinx -W --keep-going -q -b latex "${opts[@]}" . "$dir"
rm -f "$dir/reader.pdf"
: > "$dir/reader-endnotes.tex"  # exists from the first run on, so latexmk watches it
xelatex_run() {  # latexmk, or one xelatex pass with "once"
  local cmd=(latexmk -pdfxe -interaction=nonstopmode -halt-on-error reader.tex)
  [ "${1:-}" = once ] && cmd=(xelatex -interaction=nonstopmode -halt-on-error reader.tex)
  (cd "$dir" && "${cmd[@]}" > latexmk.out 2>&1) || {
    echo "xelatex failed; see $dir/reader.log" >&2
    grep -n "^!" -A3 "$dir/reader.log" >&2 || true
    exit 1
  }
}
xelatex_run once  # one pass is enough to measure where the notes land
# Margin notes that landed too far from their paragraph become endnotes of their
# text, a few at a time, until every remaining note is in place (at most 12 rounds).
for _round in $(seq 12); do
  "${PYTHON:-.venv/bin/python}" "$(dirname "$0")/place_notes.py" "$dir" || break
  xelatex_run once
done
xelatex_run  # references, contents and bookmarks settle
if grep -q "Missing character" "$dir/reader.log"; then
  echo "missing characters in the fonts:" >&2
  grep "Missing character" "$dir/reader.log" | sort | uniq -c >&2
  exit 1
fi
mkdir -p _build/pdf
cp "$dir/reader.pdf" "$out"
echo "PDF: $out"
