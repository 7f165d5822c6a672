# A one-seed project for the traditional variant: conversion traps, quotation
# marks, house style, review states, translators' catalogues.
project = "variant"
language = "zh_CN"
extensions = ["myst_parser", "sphinx_design", "reader"]
myst_enable_extensions = ["colon_fence", "fieldlist"]
exclude_patterns = ["_build", "seeds", "source/_*.md"]
html_theme = "basic"
