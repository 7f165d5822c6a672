# A tiny project for the HTML snapshots (tests/test_snapshots.py): two paragraphs,
# one glossary term, one margin note, one parallel passage in a second source.
project = "snapshot"
language = "zh_CN"
extensions = ["myst_parser", "sphinx_design", "reader"]
myst_enable_extensions = ["colon_fence", "fieldlist", "dollarmath", "substitution", "html_image"]
exclude_patterns = ["_build", "seeds", "source/_*.md"]
html_theme = "basic"
