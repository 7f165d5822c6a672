# A small project for the glossary: terms, links, previews, concordance.
project = "glossary"
language = "zh_CN"
extensions = ["myst_parser", "sphinx_design", "reader"]
myst_enable_extensions = ["colon_fence", "fieldlist", "dollarmath", "substitution", "html_image"]
myst_substitutions = {"secret": "SUBSTITUTED"}
exclude_patterns = ["_build", "seeds", "source/_*.md"]
html_theme = "basic"
