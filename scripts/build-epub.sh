#!/usr/bin/env bash
# Build the EPUB of one variant and validate it: scripts/build-epub.sh hans|hant
# The book in _build/epub[-hant]/reader.epub, copied to _build/epub/reader[-hant].epub;
# epubcheck (Debian package) must report no error.
set -euo pipefail
variant="${1:-hans}"
if [ "$variant" = "hant" ]; then
  opts=(-D reader_variant=hant -D language=zh_TW)
  dir=_build/epub-hant
  out=_build/epub/reader-hant.epub
else
  opts=()
  dir=_build/epub-build
  out=_build/epub/reader.epub
fi
"${PYTHON:-.venv/bin/python}" -m sphinx -W --keep-going -q -b epub -d "$dir.doctrees" "${opts[@]}" . "$dir"
java -jar /usr/share/java/epubcheck.jar "$dir/reader.epub"
mkdir -p _build/epub
cp "$dir/reader.epub" "$out"
echo "EPUB: $out"
