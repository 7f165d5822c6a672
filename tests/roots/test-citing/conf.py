# A second, tiny Sphinx project that cites a paragraph of the reader through intersphinx.
project = "citing"
extensions = ["myst_parser", "sphinx.ext.intersphinx"]
intersphinx_mapping = {}  # set by the test: the reader's objects.inv
exclude_patterns = ["_build"]
html_theme = "basic"
