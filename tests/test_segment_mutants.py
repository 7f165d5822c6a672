"""The segmenter's stages at their boundaries: the exact values their rules promise.

The corpus and golden tests check whole seeds; mutation testing (``make mutate``)
showed which changes to the code they let through.  Each test here pins one such
promise on a few lines of text.
"""

from __future__ import annotations
