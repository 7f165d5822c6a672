"""Sphinx configuration of the reader (see README.md)."""

import os
import sys

sys.path.insert(0, os.path.abspath("_ext"))

project = "新质生产力文献读本"
author = "读本编辑组"
copyright = "2026, 读本编辑组"
release = "第一版"  # the edition, on the PDF's title page
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
    "max_navbar_depth": 1,
}
# One search box: the theme's search button in the header bar; the sidebar's
# copy of it is left out (issue 20).
html_sidebars = {"**": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]}
html_favicon = "_ext/reader/static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False

# -- PDF (xelatex + xeCJK) ---------------------------------------------------
# Noto CJK SC for simplified; the reader extension switches to TC for the
# traditional build (Fandol, xeCJK's fallback, lacks common traditional glyphs).
latex_engine = "xelatex"
latex_documents = [("index", "reader.tex", "新质生产力文献读本", "读本编辑组", "manual")]
latex_show_urls = "no"
latex_use_xindy = False
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "classoptions": ",oneside,openany",
    "babel": "",
    "polyglossia": "",
    "fncychap": "",
    "fontpkg": r"""
\usepackage{xeCJK}
\usepackage{xeCJKfntef}
\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Serif CJK SC Bold}]
\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}]
\setCJKmonofont{Noto Sans Mono CJK SC}
% No TeX ligatures: a straight quote or backtick of the text prints as typed (not “ ” ‘ ’).
\setmainfont{FreeSerif}[Ligatures=TeXOff]
\setsansfont{FreeSans}[Ligatures=TeXOff]
\setmonofont{FreeMono}[Ligatures=TeXOff]
""",
    "geometry": r"\usepackage[a4paper,top=25mm,bottom=25mm,left=28mm,right=58mm,"
    r"marginparwidth=44mm,marginparsep=6mm,headsep=8mm]{geometry}",
    "passoptionstopackages": r"\PassOptionsToPackage{destlabel=true}{hyperref}",
    "preamble": r"""
\usepackage{marginfix}
\usepackage{zhnumber}
\renewcommand{\contentsname}{目录}
\renewcommand{\indexname}{索引}
\renewcommand{\figurename}{图}
\renewcommand{\tablename}{表}
\renewcommand{\chaptername}{}
\renewcommand{\sphinxnonalphabeticalgroupname}{其他}
\renewcommand{\sphinxsymbolsname}{符号}
\renewcommand{\sphinxnumbersname}{数字}
\titlespacing*{\chapter}{0pt}{-10pt}{24pt}
\setlength{\parindent}{2em}
% Chapters (the sources) are numbered 第一篇… (reader/book.py); the sources' own headings carry their numbers.
\setcounter{secnumdepth}{0}
\linespread{1.25}
\hypersetup{pdflang={zh-CN}}
% Running heads: the source (chapter) title, and the page number.
\renewcommand{\chaptermark}[1]{\markboth{#1}{#1}}
\renewcommand{\sectionmark}[1]{}
\makeatletter
% A title that does not fit beside the book's title gives way to the source's
% short title (the sidecar's); it would wrap into the text otherwise.
\newsavebox{\readerheadbox}
\newcommand{\readerrunninghead}[2]{\sbox{\readerheadbox}{\small\sffamily\@title\quad #1}%
  \ifdim\wd\readerheadbox>\dimexpr\textwidth+\marginparsep+\marginparwidth\relax
  \markboth{#2}{#2}\else\markboth{#1}{#1}\fi}
% The head spans the text and the margin notes' column.
\fancypagestyle{normal}{\fancyhf{}\fancyhfoffset[R]{\dimexpr\marginparsep+\marginparwidth\relax}\fancyhead[R]{\small\sffamily\nouppercase{\leftmark}}
  \fancyhead[L]{\small\sffamily\@title}\fancyfoot[C]{\small\thepage}
  \renewcommand{\headrulewidth}{0.4pt}\renewcommand{\footrulewidth}{0pt}}
\makeatother
""",
    "maketitle": r"\sphinxmaketitle",
    "printindex": "",
    "makeindex": "",
    # Links print black: a printed page is not clicked.
    "sphinxsetup": "TitleColor={rgb}{0.1,0.1,0.1}, InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0,0,0}",
}

# -- EPUB (issue 19): make epub / make epub-hant -----------------------------
# The reader extension keeps the site's scripts and stylesheet out of the book,
# declares the Chinese fonts (reader-epub.css) and makes margin notes footnotes.
version = "1.0"  # the EPUB's version (release, above, is the edition printed in the PDF)
epub_basename = "reader"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_show_urls = "no"
epub_use_index = False
