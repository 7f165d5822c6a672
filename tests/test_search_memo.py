"""Sphinx's index of Chinese text with remembered segmentation and stems (issue 18):
the same words as Sphinx's own SearchChinese, call after call."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.search.zh import SearchChinese

from reader.search import ReaderChineseSearch

WORDS = ["新质生产力", "高质量发展", "科技创新", "AI", "GDP", "is", "running", "studies", "产业", "，", " ", "2024年"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map("".join), min_size=1, max_size=8))
def test_remembered_split_and_stem_equal_sphinxs(texts):
    # (no user dictionary: loading one is seconds, and both would load the same)
    ours, theirs = ReaderChineseSearch({"dict": ""}), SearchChinese({"dict": ""})
    for text in texts + texts:  # the second round comes from memory
        split = ours.split(text)
        assert split == theirs.split(text)
        assert [ours.stem(w) for w in split] == [theirs.stem(w) for w in split]
