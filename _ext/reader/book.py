"""The PDF as a study edition (LaTeX only).

Front matter: a title page with the edition and the dates of the texts (not the
build time), the contents and the 编辑说明 (the landing page's introduction, with
a heading, in the contents), all with roman folios; then the texts as 第一篇…,
and the apparatus as 附录 without numbers (平行文本, 术语表, and 编辑记录: the
editorial record of every text, gathered from the ends of the texts).  The
contents, the bookmarks and the chapter heads say the same.  The web's metadata
card prints as one line under the title; the landing page's list of sources, a
web navigation aid, is left out (the contents list the texts).  Paragraph numbers
of lists and figures sit beside their first line, and a figure's text is framed
with a caption.  The LaTeX macros are in ``BOOK_MACROS``; conf.py keeps the page
geometry and fonts.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .core.render import format_date
from .state import reader_state

APPARATUS = ("parallels", "glossary")  # page names under the pages dir, in this order
BARE_NUMERAL = re.compile(r"^[一二三四五六七八九十百]+$")

BOOK_MACROS = r"""
\makeatletter
% Texts are chapters 第一篇…; the apparatus chapters are labelled 附录, unnumbered.
% \thechapter is expandable, so the bookmarks carry the same label.
\renewcommand{\thechapter}{第\ifcase\value{chapter}\or 一\or 二\or 三\or 四\or 五\or 六\or 七\or 八\or 九\or 十\or 十一\or 十二\or 十三\or 十四\or 十五\else\arabic{chapter}\fi 篇}
\renewcommand{\thefigure}{\arabic{figure}}
\renewcommand{\thetable}{\arabic{table}}
\titleformat{\chapter}[display]{\normalfont\sffamily\bfseries}{\Large\thechapter}{12pt}{\LARGE}
\newcommand{\readerappendix}{\renewcommand{\thechapter}{@APPENDIX@}}
\usepackage{titletoc}
\titlecontents{chapter}[5em]{\addvspace{0.6em}\sffamily\bfseries}{\contentslabel{5em}}{\hspace*{-5em}}{\hfill\contentspage}
\AtBeginDocument{\hypersetup{bookmarksnumbered=true}}
% One folio style: the page number centred at the foot, on every page with a number.
\fancypagestyle{plain}{\fancyhf{}\fancyfoot[C]{\small\thepage}\renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
% Front matter in roman folios from the title page on; the texts start at 1.
\renewcommand{\sphinxtableofcontents}{\begingroup\parskip\z@skip\tableofcontents\endgroup\clearpage}
\newcommand{\readerfrontchapter}[1]{\chapter*{#1}\phantomsection\addcontentsline{toc}{chapter}{#1}\markboth{#1}{#1}}
\newcommand{\readermainmatter}{\clearpage\pagenumbering{arabic}}
% No one-line widows or orphans.
\widowpenalty=10000 \clubpenalty=10000 \displaywidowpenalty=10000
% A paragraph number above a list or a figure: the list starts on the number's line.
\newcommand{\readerlisthere}{\par\nobreak\vspace{-\baselineskip}\vspace{-\topsep}\vspace{-\parskip}}
% Figure text: framed, with a caption.
\usepackage{mdframed}
\newenvironment{readerfigure}[1]{\par\medskip\begin{mdframed}[linewidth=0.4pt,innertopmargin=6pt,innerbottommargin=6pt,frametitle={\small\sffamily\bfseries #1},frametitlefont=\normalfont]}{\end{mdframed}\medskip}
% Source facts under a text's title, in one block.
\newcommand{\readerfacts}[1]{\par{\small\sffamily\raggedright #1\par}\bigskip}
\makeatother
"""


def add_book_macros(app: Sphinx, config) -> None:
    """config-inited, after the variant (its converter) and the margin's macros."""
    appendix = reader_state(config).in_variant("附录")
    elements = dict(config.latex_elements)
    elements["preamble"] = elements.get("preamble", "") + BOOK_MACROS.replace("@APPENDIX@", appendix)
    config.latex_elements = elements


def title_page(app: Sphinx) -> None:
    """builder-inited: the title page, with the dates of the texts from the collection."""
    if app.builder.name != "latex":
        return
    state = reader_state(app)
    convert, coll = state.in_variant, state.collection
    dates = sorted(d.meta["date"] for d in coll.docs if d.meta.get("date")) if coll else []
    span = ""
    if dates:
        first, last = format_date(dates[0][:7]), format_date(dates[-1][:7])
        span = convert(f"所收文献 {len(coll.docs)} 篇，{first}至{last}" if first != last else f"所收文献，{first}")
    title = app.config.project
    edition = app.config.release or ""
    app.builder.context["maketitle"] = (
        "\\hypersetup{pdftitle={\\csname @title\\endcsname},pdfauthor={\\csname @author\\endcsname}}\n"
        "\\begin{titlepage}\\pagenumbering{roman}\\centering\\sffamily\n"
        "\\vspace*{50mm}{\\bfseries\\Huge " + latex_escape(convert(title)) + "\\par}\n"
        "\\vspace{10mm}{\\Large " + latex_escape(convert("研读本")) + "\\par}\n"
        "\\vspace{24mm}{\\large " + latex_escape(span) + "\\par}\n"
        "\\vfill{\\large " + latex_escape(convert(app.config.author)) + "\\par}\n"
        "\\vspace{4mm}{\\normalsize " + latex_escape(convert(edition)) + "\\par}\\vspace*{20mm}\n"
        "\\end{titlepage}\\setcounter{page}{2}\n"
    )


def latex_escape(text: str) -> str:
    return "".join("\\" + c if c in "#$%&_{}" else c for c in text)


def raw(latex: str) -> nodes.raw:
    return nodes.raw("", latex, format="latex")


class StudyEdition(SphinxPostTransform):
    """On the assembled LaTeX document: front matter, chapters, appendices, records."""

    default_priority = 900
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        files = list(self.document.findall(addnodes.start_of_file))
        if not files:
            return
        state = reader_state(self.env)
        convert = state.in_variant
        apparatus = [state.page(name) for name in APPARATUS]
        # The landing page: its list of sources goes; its introduction is the 编辑说明.
        for node in list(self.document.findall(nodes.Element)):
            if "reader-collection" in node.get("classes", []) and node.parent is not None:
                node.parent.remove(node)
        landing = next(self.document.findall(nodes.section), None)
        if landing is not None:
            at = 1 if landing.children and isinstance(landing[0], nodes.title) else 0
            landing.insert(at, raw(f"\\readerfrontchapter{{{convert('编辑说明')}}}\n"))
        texts = [f for f in files if f["docname"] not in apparatus]
        if texts:
            texts[0].parent.insert(texts[0].parent.index(texts[0]), raw("\\readermainmatter\n"))
        records = []
        for sof in files:
            if sof["docname"] in apparatus:
                continue
            self.compact_facts(sof)
            self.unlist_bare_sections(sof)
            self.place_numbers(sof, convert("图"))
            for intro in list(sof.findall(nodes.paragraph)):
                if "reader-record-intro" not in intro["classes"]:
                    continue
                # The record's dropdown (a rubric and the record) or, on the web, its container.
                record = intro.parent
                while record.parent is not None and not isinstance(record, nodes.container):
                    record = record.parent
                records.append((self.doc_title(sof), record))
                record.parent.remove(record)
        appendix = [f for f in files if f["docname"] in apparatus]
        if appendix:
            appendix[0].parent.insert(appendix[0].parent.index(appendix[0]), raw("\\readerappendix\n"))
        if records:
            last = files[-1]
            section = nodes.section(ids=["reader-records"])
            section += nodes.title(convert("编辑记录"), convert("编辑记录"))
            section += nodes.paragraph(
                "",
                convert("各篇从原始文本中删去的版面元素和所作校正，按篇排列。"),
            )
            for title, record in records:
                sub = nodes.section(ids=[])
                sub += nodes.title(title, title)
                for child in record.findall(nodes.Element):
                    if child.tagname in ("paragraph", "reader_table"):
                        sub += child.deepcopy()
                section += sub
            last.parent.insert(last.parent.index(last) + 1, section)

    @staticmethod
    def doc_title(sof: addnodes.start_of_file) -> str:
        section = next(sof.findall(nodes.section), None)
        return section[0].astext() if section is not None else sof["docname"]

    def compact_facts(self, sof: addnodes.start_of_file) -> None:
        """The web metadata card as one block of facts (no description list, no
        second byline: the author is the text's byline when it has one)."""
        has_byline = any(
            node.get("kind") == "byline" for node in sof.findall(nodes.Element) if node.tagname == "reader_block"
        )
        for card in list(sof.findall(nodes.Element)):
            if "reader-meta" not in card.get("classes", []):
                continue
            facts = []
            for field in card.findall(nodes.field):
                name, body = field[0].astext(), field[1].astext().strip()
                if name in ("段落", "段落数", "類型", "类型", "段數") or (has_byline and name in ("作者",)):
                    continue
                facts.append(body)
            text = " · ".join(facts)
            card.replace_self(raw(f"\\readerfacts{{{latex_escape(text)}}}\n"))

    @staticmethod
    def unlist_bare_sections(sof: addnodes.start_of_file) -> None:
        """Sections titled only by a numeral (一, 二 … of an excerpt compilation) stay
        out of the contents: fifteen bare numerals tell a reader nothing there."""
        sections = [s for s in sof.findall(nodes.section) if s is not sof and s.parent is not sof]
        chapter = next(sof.findall(nodes.section), None)
        inner = [s for s in sections if s is not chapter]
        if inner and all(BARE_NUMERAL.match(s[0].astext().strip()) for s in inner if isinstance(s[0], nodes.title)):
            first = inner[0]
            first.parent.insert(
                first.parent.index(first), raw("\\addtocontents{toc}{\\protect\\setcounter{tocdepth}{0}}\n")
            )
            sof += raw("\\addtocontents{toc}{\\protect\\setcounter{tocdepth}{1}}\n")

    @staticmethod
    def place_numbers(sof: addnodes.start_of_file, figure: str) -> None:
        """Lists and figures start on their number's line; figures are framed."""
        for block in list(sof.findall(nodes.Element)):
            if block.tagname != "reader_block" or block.get("kind") not in ("list", "figure"):
                continue
            body = next(
                (c for c in block.children if isinstance(c, (nodes.bullet_list, nodes.line_block))),
                None,
            )
            if body is None:
                continue
            at = block.index(body)
            if block.get("kind") == "figure":
                first = body.children[0].astext() if body.children else ""
                caption = latex_escape(first.strip())
                block.insert(at, raw(f"\\readerlisthere\\begin{{readerfigure}}{{{figure}\\quad {caption}}}\n"))
                block.append(raw("\\end{readerfigure}\n"))
            else:
                block.insert(at, raw("\\readerlisthere\n"))


def setup(app: Sphinx) -> None:
    app.add_post_transform(StudyEdition)
