"""Pure-Python core of the reader: no Sphinx import anywhere below this package.

The Sphinx glue modules one level up (``reader.ingest`` and friends) call into
these functions; the tests exercise them directly on small data cases.
"""
