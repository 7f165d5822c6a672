# Hostile titles with the REAL theme (its print header printed the title raw).
project = "xss"
language = "zh_CN"
extensions = ["myst_parser", "sphinx_design", "reader"]
myst_enable_extensions = ["colon_fence", "fieldlist"]
include_patterns = ["index.md", "source/*.md"]
exclude_patterns = ["_build", "source/_*.md"]
html_theme = "sphinx_book_theme"
# As the reader's conf.py: the buttons with inline handlers are off (the build warns otherwise).
html_theme_options = {"use_download_button": False, "use_fullscreen_button": False}
html_favicon = "favicon.svg"
