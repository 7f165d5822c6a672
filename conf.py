"""Sphinx configuration of the reader (see README.md)."""

import os
import sys

sys.path.insert(0, os.path.abspath("_ext"))

project = "新质生产力文献读本"
author = "读本编辑组"
copyright = "2026, 读本编辑组"
language = "zh_CN"

extensions = ["myst_parser", "sphinx_design", "reader"]
myst_enable_extensions = ["colon_fence", "fieldlist"]
source_suffix = {".md": "markdown"}
root_doc = "index"

# Only the landing page and the generated source pages are documents; the
# seeds, tests, caches and README are not.
include_patterns = ["index.md", "source/*.md"]
exclude_patterns = ["_build", ".venv", "source/_*.md"]

reader_seeds_dir = "seeds"
reader_pages_dir = "source"
# The other variant's site, relative to this one's root (both published side by side).
reader_other_variant_url = "../html-hant"

html_theme = "sphinx_book_theme"
html_title = "新质生产力文献读本"
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    # Reading pages give the right-hand column to margin notes; their headings
    # are in the left navigation instead.
    "secondary_sidebar_items": {"index": ["page-toc"], "source/*": []},
    "show_navbar_depth": 1,
    "max_navbar_depth": 3,
}
html_copy_source = False
html_show_sourcelink = False
