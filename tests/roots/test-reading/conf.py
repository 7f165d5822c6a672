# Line breaks inside Chinese paragraphs, numeral headings (issue 20).
project = "reading"
language = "zh_CN"
extensions = ["myst_parser", "sphinx_design", "reader"]
myst_enable_extensions = ["colon_fence", "fieldlist"]
exclude_patterns = ["_build", "seeds", "source/_*.md"]
html_theme = "basic"
