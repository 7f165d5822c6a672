"""Margin notes beside a paragraph: editorial annotations and parallel passages.

HTML: an ``<aside>`` in the second column of its block's grid row on a wide
window (``margin.css``), so it starts level with its paragraph and never beside
another; it is headed by the paragraph's number; long notes and comparisons are
folded to one line (``<details>``).  On a phone it collapses behind a button
beside the paragraph (``reader.js``), usable with the keyboard.  LaTeX:
``\\readermargin``, a margin note beside the paragraph or, where it would not
fit there, an endnote of its text with a back-reference (``latex_margin``).
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx

from .core.notes import FOLD_CHARS, lemma
from .core.parallels import ELIDED
from .core.records import MarginEntries
from .nodeutil import interface_converter, label_ref, passthrough, reader_data
from .state import reader_state

KIND_LABELS = {"note": "注", "correction": "校", "source": "源", "xref": "参见", "parallel": "平行"}


class reader_margin(nodes.General, nodes.Element):
    """The margin of one block: ``anchor`` (paragraph id) and ``label`` (its number)."""


class reader_margin_item(nodes.General, nodes.TextElement):
    """One note in a margin; ``kind`` is note, correction, source or xref; ``fold``:
    long enough to be folded to one line on screen."""


class reader_margin_link(nodes.Inline, nodes.TextElement):
    """The link at the end of a note (xref): outside the fold's summary, since a
    control inside a control is unreachable for assistive technology."""


class reader_mark(nodes.Inline, nodes.TextElement):
    """A phrase of the paragraph that an annotation is about."""


def place_text(place: dict, with_date: bool = True) -> str:
    """A paragraph of another source as a reader names it: 学习资料（2024年3月5日）¶12."""
    if with_date and place.get("date"):
        return f"{place['title']}（{place['date']}）¶{place['number']}"
    return f"{place['title']} ¶{place['number']}"


class reader_parallel(reader_data):
    """One parallel passage of a margin, as its visitors render it (made by
    ``reader_parallels.parts``, never in a tree): ``ref`` (label), ``title``
    (the other source's short title), ``date``, ``number``, ``shared``
    (fraction of this paragraph found there), ``ops`` (the two wordings as a
    diff: "-" only here, "+" only there) and ``copies`` (other paragraphs with
    the very same wording, ``more_copies`` not listed).  Not in the search
    index: the words are another paragraph's."""

    def heading(self, convert) -> tuple[str, str, str]:
        """(kind label, link text, the rest of the line): 平行 | 学习资料（2024年3月5日）¶12 | · 本段 69% 见于该处."""
        shared = round(self["shared"] * 100)
        return (
            convert(KIND_LABELS["parallel"]),
            place_text(self),
            convert(f" · 本段 {shared}% 见于该处"),
        )

    def copies_text(self, convert) -> str:
        """The other paragraphs with the same wording, or ""."""
        names = [place_text(c) for c in self.get("copies", [])]
        if not names:
            return ""
        more = convert(f"等 {len(names) + self.get('more_copies', 0)} 处") if self.get("more_copies") else ""
        return convert("文字相同的还有：") + "、".join(names) + more + convert("。")


class reader_more_parallels(reader_data):
    """ "另有 N 处平行文本" and, opened, the list of them, as its visitors render
    it (made by ``reader_parallels.parts``): ``count`` and ``places`` (ref,
    title, date, number, shared), at most MAX_LISTED of them (``core.pipeline``)."""


class reader_parallels(reader_data):
    """The parallels of one margin as one data node: ``items`` (the fields of each
    shown wording, as ``reader_parallel``'s) and, when more passages share the
    text, ``count`` and ``places`` (``reader_more_parallels``'s).  Every
    transform of every build walks every node of every page: a margin's three
    wordings and its "N more" were four of them, a fifth of a page's nodes
    (issue 18).  Its visitors render each part through the part's own visitor."""

    def parts(self) -> list[reader_data]:
        """The shown wordings, then "N more", as the nodes their visitors render
        (not in the tree: their links resolved as this node's, their margin its)."""
        resolved = self.get("resolved", {})
        parts: list[reader_data] = [reader_parallel(resolved=resolved, **item) for item in self["items"]]
        if self.get("count"):
            parts.append(reader_more_parallels(resolved=resolved, count=self["count"], places=self["places"]))
        for part in parts:
            part.parent = self.parent
        return parts

    def links(self) -> list[str]:
        shown = [ref for item in self["items"] for ref in (item["ref"], *(c["ref"] for c in item["copies"]))]
        return shown + [p["ref"] for p in self["places"]]

    def convert_data(self, convert) -> None:
        def place(p: dict) -> dict:
            return {**p, "title": convert(p["title"]), "date": convert(p["date"])}

        self["items"] = [
            {**place(item), "ops": convert_diff(item["ops"], convert), "copies": [place(c) for c in item["copies"]]}
            for item in self["items"]
        ]
        self["places"] = [place(p) for p in self["places"]]


def _each_part(visitors: dict[type, Callable]) -> Callable:
    """A visitor of ``reader_parallels``: each part through its own visitor."""

    def visit_parts(self, node: reader_parallels) -> None:
        for part in node.parts():
            try:
                visitors[type(part)](self, part)
            except nodes.SkipNode:
                pass
        raise nodes.SkipNode

    return visit_parts


def convert_diff(ops: list[list[str]], convert) -> list[list[str]]:
    """Convert a comparison stretch by stretch (between the shared text left out)."""
    out: list[list[str]] = []
    stretch: list[list[str]] = []
    for op in [*ops, [ELIDED, ""]]:
        if op[0] == ELIDED:
            out.extend(_convert_stretch(stretch, convert))
            out.append(op)
            stretch = []
        else:
            stretch.append(op)
    return out[:-1]


def _convert_stretch(ops: list[list[str]], convert) -> list[list[str]]:
    """Convert each wording whole, in its own context (phrases span the diff's
    cuts), then cut again.  Text both share may convert differently in each
    (制造 after 因地 or after 先进): such an "=" op carries the other wording's
    form as a third element."""
    this = convert("".join(op[1] for op in ops if op[0] in "=-"))
    other = convert("".join(op[1] for op in ops if op[0] in "=+"))
    if len(this) != sum(len(op[1]) for op in ops if op[0] in "=-") or len(other) != sum(
        len(op[1]) for op in ops if op[0] in "=+"
    ):
        return [[op[0], convert(op[1])] for op in ops]
    out, i, j = [], 0, 0
    for op, text, *_ in ops:
        n = len(text)
        if op == "=":
            mine, theirs = this[i : i + n], other[j : j + n]
            out.append([op, mine] if mine == theirs else [op, mine, theirs])
            i += n
            j += n
        elif op == "-":
            out.append([op, this[i : i + n]])
            i += n
        else:
            out.append([op, other[j : j + n]])
            j += n
    return out


def build_margin(entries: MarginEntries, anchor: str, label: str) -> reader_margin:
    margin = reader_margin(anchor=anchor, label=label)
    parallels = []  # (the margins file puts them after the annotations)
    for n, item in enumerate(entries.notes, 1):
        kind = item.get("kind", "note")
        if kind == "parallel":
            parallels.append(
                {
                    "ids": [f"{anchor}-n{n}"],
                    **{key: item[key] for key in ("ref", "title", "number", "shared", "ops")},
                    "date": item.get("date", ""),
                    "copies": item.get("copies", []),
                    "more_copies": item.get("more_copies", 0),
                }
            )
            continue
        head = lemma(item.get("phrase", ""), item["text"])
        body = (f"原作“{item['original']}”。" if kind == "correction" else "") + item["text"]
        entry = reader_margin_item(kind=kind, ids=[f"{anchor}-n{n}"], fold=len(head) + len(body) > FOLD_CHARS)
        entry += nodes.inline(KIND_LABELS[kind], KIND_LABELS[kind], classes=["reader-margin-kind"])
        entry += nodes.Text(" ")  # the label is a word of its own, also in copied text
        if head:
            entry += nodes.inline(head, head, classes=["reader-margin-lemma"])
            entry += nodes.Text("：")
        entry += nodes.Text(body)
        if kind == "xref":
            tail = reader_margin_link()
            tail += nodes.Text(" → ")
            tail += label_ref(item["target"], item["target_label"])
            entry += tail
        margin += entry
    if parallels or entries.more:
        margin += reader_parallels(items=parallels, count=entries.more, places=entries.more_places)
    return margin


# ---------------------------------------------------------------- HTML


def visit_margin_html(self, node: reader_margin) -> None:
    label = node["label"]
    aria = self.attval(interface_converter(self)(f"第{label}段旁注"))
    self.body.append(
        f'<aside class="reader-margin" id="{node["anchor"]}-margin" aria-label="{aria}">'
        f'<a class="reader-margin-num" href="#{node["anchor"]}" aria-hidden="true" tabindex="-1">¶{label}</a>'
    )


def depart_margin_html(self, node: reader_margin) -> None:
    self.body.append("</aside>")


def visit_item_html(self, node: reader_margin_item) -> None:
    ids = f' id="{node["ids"][0]}"' if node.get("ids") else ""
    self.body.append(f'<div class="reader-margin-item reader-margin-{node["kind"]}"{ids}>')
    # A long note is one line until opened, so that it does not push the next notes.
    self.body.append('<details class="reader-fold"><summary>' if node.get("fold") else "<p>")


def depart_item_html(self, node: reader_margin_item) -> None:
    if not node.get("fold"):
        self.body.append("</p></div>")
    elif isinstance(node.children[-1], reader_margin_link):
        self.body.append("</details></div>")  # the link closed the summary
    else:
        self.body.append("</summary></details></div>")


def visit_link_html(self, node: reader_margin_link) -> None:
    fold = node.parent.get("fold")
    self.body.append('</summary><p class="reader-margin-link">' if fold else "")


def depart_link_html(self, node: reader_margin_link) -> None:
    self.body.append("</p>" if node.parent.get("fold") else "")


def visit_mark_html(self, node: reader_mark) -> None:
    self.body.append(f'<mark class="reader-mark reader-mark-{node["kind"]}">')


def depart_mark_html(self, node: reader_mark) -> None:
    self.body.append("</mark>")


def merged_diff(ops: list[list[str]], shared, this_only, that_only, elided: str) -> str:
    """Both wordings in one run, as in print (HTML and LaTeX): ``shared(text)``,
    this paragraph's own words through ``this_only``, the other's through
    ``that_only``, and ``elided`` where shared text is left out."""
    # (an "=" op's third field, the other wording's own conversion, is not shown:
    # the run reads as this paragraph)
    write = {"=": shared, "-": this_only, "+": that_only}
    return "".join(write[op](text) if op in write else elided for op, text, *_theirs in ops)


def diff_html(translator, ops: list[list[str]], this_only: str, that_only: str, elided: str) -> str:
    """This paragraph's own words underlined, the other's in 〔〕, shared text left out as ……."""
    enc = translator.encode
    return merged_diff(
        ops,
        enc,
        lambda text: f'<span class="reader-only" title="{this_only}">{enc(text)}</span>',
        lambda text: f'<span class="reader-other" title="{that_only}">〔{enc(text)}〕</span>',
        f'<span class="reader-elided" title="{elided}">……</span>',
    )


def visit_parallel_html(self, node: reader_parallel) -> None:
    enc = self.encode
    convert = interface_converter(self)
    kind, place, _rest = node.heading(convert)
    link = node.html_ref(self, node["ref"], place)
    # The folded line is a control of its own: the link is inside, opened.
    short = place_text(node, with_date=False) + (convert(" 等") if node.get("copies") else "")
    copies = enc(node.copies_text(convert))
    shared = round(node["shared"] * 100)
    head = (
        f'<div class="reader-margin-item reader-margin-parallel" id="{node["ids"][0]}">'
        f'<details class="reader-fold reader-diff"><summary><span class="reader-margin-kind">{kind}</span> '
        f'{enc(short)} <span class="reader-diff-share">{shared}%</span></summary>'
    )
    if not node["ops"]:  # a verbatim copy: nothing to compare
        self.body.append(
            f'{head}<p class="reader-diff-meta">{convert("本段与")}{link}{convert("文字相同。")}{copies}</p></details></div>'
        )
        raise nodes.SkipNode
    this_only, that_only, elided = convert("本段多出"), convert("该处多出"), convert("相同文字从略")
    self.body.append(
        f'{head}<p class="reader-diff-meta">{convert("本段")} {shared}% {convert("见于")}{link}{convert("。")}'
        f"{copies}</p>"
        f'<div class="reader-diff-merged"><p class="reader-diff-label">'
        f'（<span class="reader-only">{convert("下划线")}</span>：{this_only}；〔〕：{that_only}；……：{elided}）</p>'
        f"{diff_html(self, node['ops'], this_only, that_only, elided)}</div></details></div>"
    )
    raise nodes.SkipNode


def visit_more_html(self, node: reader_more_parallels) -> None:
    convert = interface_converter(self)
    places = "".join(
        f"<li>{node.html_ref(self, p['ref'], place_text(p))} · {round(p['shared'] * 100)}%</li>" for p in node["places"]
    )
    rest = node["count"] - len(node["places"])
    summary = f"另有 {node['count']} 处平行文本"
    tail = f"<li>{self.encode(convert(f'及其他 {rest} 处'))}</li>" if rest > 0 else ""
    self.body.append(
        '<div class="reader-margin-item reader-margin-parallel reader-margin-more">'
        f'<details class="reader-fold"><summary>{self.encode(convert(summary))}</summary>'
        f"<ul>{places}{tail}</ul></details></div>"
    )
    raise nodes.SkipNode


# ---------------------------------------------------------------- LaTeX
#
# \readermargin{<docname>:<anchor>}{<number>}{<notes>} puts the notes in the margin
# beside the paragraph, headed by its number; a paragraph whose notes the last
# measurement found too far from it (scripts/place_notes.py writes
# reader-endnotes.tex) gets them among its text's endnotes instead, with a link
# each way.  Parallels print their differences there too (a margin is too narrow
# for two wordings).  The words are converted for the traditional variant.

LATEX_MACROS = r"""
\usepackage{etoolbox}
\makeatletter
\newcommand{\readerkind}[1]{{\sffamily\bfseries #1}\enspace}
\expandafter\def\csname DUrolereader-margin-kind\endcsname#1{\readerkind{#1}}
\expandafter\def\csname DUrolereader-margin-lemma\endcsname#1{{\bfseries #1}}
\newcommand{\readermarginnum}[1]{{\sffamily\bfseries\P#1}\enspace}
\newcommand{\readeronly}[1]{\CJKunderline{#1}}
\newcommand{\readerother}[1]{{\sffamily\small〔#1〕}}
\newcommand{\readergap}{\raisebox{0.7ex}{\scriptsize$\wedge$}}
\gdef\readerendnotes{}
\gdef\readercomparisons{}
% Where each paragraph with notes starts and where its notes were printed (page,
% and y in sp), for scripts/place_notes.py; written at shipout, so the pages are
% the real ones.
\newwrite\readerpos
\immediate\openout\readerpos=\jobname.notepos
\AtBeginDocument{\immediate\write\readerpos{line - - \the\baselineskip}}
\newcommand{\readerlogpos}[2]{\pdfsavepos\write\readerpos{#1 #2 \thepage\space\the\pdflastypos}}
\newdimen\readerindent
\newcommand{\readermargin}[3]{%
  \ifcsname readerend@#1\endcsname
    % beside the paragraph number: the notes are at the end of the text
    \llap{\hyperlink{readerend:#1}{\textsuperscript{\sffamily @NOTE@}}\hspace*{\readerindent}}%
    \g@addto@macro\readerendnotes{\readerendnote{#1}{#2}{#3}}%
  \else
    \readerlogpos{para}{#1}%
    \marginpar{\raggedright\footnotesize\hypertarget{readernote:#1}{}%
      \readermarginnum{#2}\readerlogpos{note}{#1}#3\readerlogpos{end}{#1}}%
  \fi\ignorespaces}
\newcommand{\readerendnote}[3]{\par\noindent\hypertarget{readerend:#1}{}%
  \hyperref[#1]{\readermarginnum{#2}}{\footnotesize #3}\par\smallskip}
\newcommand{\readercomparison}[4]{% key, number, heading, merged diff
  \g@addto@macro\readercomparisons{\par\noindent\hyperref[#1]{\readermarginnum{#2}}{\small #3}\par
    \noindent{\small #4}\par\medskip}}
% At the end of each text (before the next chapter, and at the end): its endnotes,
% then the printed comparisons of its parallels.
\newcommand{\readerflushnotes}{%
  \ifx\readerendnotes\@empty\else
    \section*{@ENDNOTES@}\readerendnotes\gdef\readerendnotes{}\fi
  \ifx\readercomparisons\@empty\else
    \section*{@COMPARISONS@}\noindent{\small @LEGEND@}\par\medskip
    \readercomparisons\gdef\readercomparisons{}\fi}
\pretocmd{\chapter}{\readerflushnotes}{}{}
\AtEndDocument{\readerflushnotes}
\makeatother
% The paragraphs whose notes go to the endnotes (written by scripts/place_notes.py).
\InputIfFileExists{reader-endnotes.tex}{}{}
"""

LATEX_WORDS = {
    "@NOTE@": "注",
    "@ENDNOTES@": "本篇旁注",
    "@COMPARISONS@": "本篇平行文本比较",
    "@LEGEND@": "加下划线的文字为本段多出，〔〕内为该处多出，……处为相同文字从略。",
}


def add_latex_macros(app: Sphinx, config) -> None:
    """config-inited, after the variant (which sets the converter)."""
    convert = reader_state(config).in_variant
    macros = LATEX_MACROS
    for key, word in LATEX_WORDS.items():
        macros = macros.replace(key, convert(word))
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + macros
    config.latex_elements = elements


def visit_margin_latex(self, node: reader_margin) -> None:
    key = f"{self.curfilestack[-1]}:{node['anchor']}"
    indent = "2em" if node.parent.get("kind") == "paragraph" else "0pt"  # the paragraph's first-line indent
    self.body.append(f"\\readerindent={indent}\\readermargin{{{key}}}{{{self.encode(node['label'])}}}{{")


def depart_margin_latex(self, node: reader_margin) -> None:
    self.body.append("}")


def visit_item_latex(self, node: reader_margin_item) -> None:
    self.body.append("\\sphinxAtStartPar\n")


def depart_item_latex(self, node: reader_margin_item) -> None:
    self.body.append("\\par\\smallskip ")


def diff_latex(translator, ops: list[list[str]]) -> str:
    """As ``diff_html``, with the macros of the printed comparisons."""
    enc = translator.encode
    return merged_diff(
        ops, enc, lambda text: f"\\readeronly{{{enc(text)}}}", lambda text: f"\\readerother{{{enc(text)}}}", "……"
    )


def visit_parallel_latex(self, node: reader_parallel) -> None:
    """One short line in the margin (平行 学习资料 ¶6 · 17%); the full reference and the
    differences among the text's comparisons (a margin is too narrow for two wordings)."""
    convert = interface_converter(self)
    kind, place, rest = node.heading(convert)
    short = node.latex_ref(self, node["ref"], place_text(node, with_date=False))
    copies = len(node.get("copies", [])) + node.get("more_copies", 0)
    more = self.encode(convert(f"等 {copies + 1} 处")) if copies else ""
    shared = round(node["shared"] * 100)
    link = node.latex_ref(self, node["ref"], place)
    tail = self.encode(rest + ("。" + node.copies_text(convert) if copies else ""))
    margin = node.parent
    key = f"{self.curfilestack[-1]}:{margin['anchor']}"
    self.body.append(
        f"\\sphinxAtStartPar\n\\readerkind{{{self.encode(kind)}}}{short}{more} · {shared}\\%\\par\\smallskip "
        f"\\readercomparison{{{key}}}{{{self.encode(margin['label'])}}}{{{link}{tail}}}"
        f"{{{diff_latex(self, node['ops']) or self.encode(convert('（文字相同）'))}}}"
    )
    raise nodes.SkipNode


def visit_more_latex(self, node: reader_more_parallels) -> None:
    more = interface_converter(self)(f"另有 {node['count']} 处平行文本。")
    self.body.append(f"\\sphinxAtStartPar\n{self.encode(more)}\\par\\smallskip ")
    raise nodes.SkipNode


def visit_parallel_text(self, node: reader_parallel) -> None:
    kind, place, rest = node.heading(interface_converter(self))
    self.add_text(f"{kind} {place}{rest}")
    raise nodes.SkipNode


def visit_more_text(self, node: reader_more_parallels) -> None:
    self.add_text(f"另有 {node['count']} 处平行文本。")
    raise nodes.SkipNode


def visit_mark_latex(self, node: reader_mark) -> None:
    self.body.append(r"\CJKunderline{")


def depart_mark_latex(self, node: reader_mark) -> None:
    self.body.append("}")


def setup(app: Sphinx) -> None:
    app.add_css_file("margin.css")
    app.add_node(
        reader_margin,
        html=(visit_margin_html, depart_margin_html),
        latex=(visit_margin_latex, depart_margin_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_margin_item,
        html=(visit_item_html, depart_item_html),
        latex=(visit_item_latex, depart_item_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_margin_link,
        html=(visit_link_html, depart_link_html),
        latex=(passthrough, passthrough),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_mark,
        html=(visit_mark_html, depart_mark_html),
        latex=(visit_mark_latex, depart_mark_latex),
        text=(passthrough, passthrough),
    )
    app.add_node(
        reader_parallels,
        html=(_each_part({reader_parallel: visit_parallel_html, reader_more_parallels: visit_more_html}), None),
        latex=(_each_part({reader_parallel: visit_parallel_latex, reader_more_parallels: visit_more_latex}), None),
        text=(_each_part({reader_parallel: visit_parallel_text, reader_more_parallels: visit_more_text}), None),
    )
