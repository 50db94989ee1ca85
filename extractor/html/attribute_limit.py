"""The attribute limit: a start tag keeps its first `MAX_ATTRS` attributes, because Lexbor's
tokenizer is quadratic in the number of attributes of one tag (one crowded tag can stall the
parse; docs/extraction.md, "Limits (robustness)"). Pages with no crowded tag come out
byte-identical; the pass is linear.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from extractor.patterns import trie

__all__ = ["MAX_ATTRS", "trim_attributes"]

logger = logging.getLogger(__name__)

MAX_ATTRS = 200

# The attribute guard reads the page as the HTML tokenizer does (WHATWG 13.2.5) wherever that
# decides where a tag and its attributes begin and end. `_W` is its whitespace (CR too: the input
# stream turns it into LF). An attribute name is any run of characters but whitespace, "/", ">"
# and "=" ("<" and quotes included, "=" as its first character too); a value is double-quoted,
# single-quoted or unquoted; after a quoted value the next attribute may follow with no space.
_W = "\t\n\f\r "
_ATTR = (
    rf"[^{_W}/>][^{_W}/>=]*+"
    rf"""(?:[{_W}]*+=[{_W}]*+(?:"[^"]*+"|'[^']*+'|[^{_W}>]*+))?+"""
)
_NEXT_ATTR = rf"(?>[{_W}/]*+{_ATTR})"
_KEPT = re.compile(rf"</?([A-Za-z][^{_W}/>]*+){_NEXT_ATTR}{{0,{MAX_ATTRS}}}+")
_MORE = re.compile(rf"{_NEXT_ATTR}*+")
_TAG_END = re.compile(rf"[{_W}/]*+>")
_START_TAG = re.compile(r"<[A-Za-z]")
_TAG = re.compile(r"</?[A-Za-z]")


def _anycase(name: str) -> str:
    """`name` in any case, without re.IGNORECASE (which makes searching several times slower)."""
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in name)


def _names(names: Iterable[str]) -> str:
    """Any of these tag names, in any case, as a whole name."""
    return rf"{trie(list(names), anycase=True)}(?=[{_W}/>])"  # a trie: tried at every tag


_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
# Start tags that take the tree builder out of SVG and MathML content; elements of those whose
# content it reads as HTML.
_BREAKOUT = frozenset(
    ["b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
     "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing",
     "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike",
     "sub", "sup", "table", "tt", "u", "ul", "var"]
)  # fmt: skip
_INTEGRATION = frozenset(
    ["foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"]
)
_COMMENT = r"<!--(?:-?>|(?:[^-]++|-(?!-!?>))*+--!?>)"  # "<!-->" and "<!--->" end at once
# Doctypes and bogus comments ("<?", "</3"...); in HTML content a CDATA section is one too.
_BOGUS = r"<(?!!--|!\[CDATA\[)[!?][^>]*+>|</(?![A-Za-z])[^>]*+>"
_HTML_BOGUS = r"<(?!!--)[!?][^>]*+>|</(?![A-Za-z])[^>]*+>"
_ATTRS = (  # the attributes of a tag with at most MAX_ATTRS of them, and its end
    rf"""(?>(?:[{_W}]++[^{_W}/>"'=]++(?:="[^"]*+")?){{0,30}}+[{_W}/]*+>"""  # the usual: faster
    rf"|{_NEXT_ATTR}{{0,{MAX_ATTRS}}}+[{_W}/]*+>)"
)
_END_TAG = rf"</[A-Za-z](?:[^>=]*+>|[^{_W}/>]*+{_NEXT_ATTR}*+[{_W}/]*+>)"


def _raw_element(name: str, stop: str = "") -> str:
    """A `name` element with at most MAX_ATTRS attributes and raw text content up to its end
    tag (which is left to read), and no `stop` in that content."""
    end = rf"</{_anycase(name)}[{_W}/>]"
    return rf"<{_anycase(name)}(?=[{_W}/>]){_ATTRS}(?:[^<]++|<(?!/{end[2:]}{stop}))*+(?={end})"


# Inside SVG and MathML the tree builder keeps a stack of open elements that decides where that
# content ends; the usual shapes are read by one pattern: text, comments, self-closing tags (they
# open nothing) and elements nested up to _FOREIGN_DEPTH deep, each ending with its own end tag,
# all of them common SVG and MathML elements (none leaves SVG as `_BREAKOUT` tags do) and only
# text in those whose content is HTML (`_INTEGRATION`). The rest is read tag by tag
# (`_AttributeGuard.foreign_token`).
_FOREIGN_DEPTH = 8
_FOREIGN_NAMES = [  # listed: cheaper than testing each name against _BREAKOUT
    "svg", "math", "a", "g", "path", "use", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "defs", "symbol", "clipPath", "clippath", "mask", "pattern", "linearGradient",
    "lineargradient", "radialGradient", "radialgradient", "stop", "filter", "text", "tspan",
    "textPath", "image", "marker", "switch", "view", "metadata", "style", "animate", "set",
    "animateTransform", "semantics", "annotation", "mrow", "mstyle", "msub", "msup", "msubsup",
    "mfrac", "msqrt", "mroot", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mspace",
    "mpadded", "mphantom", "menclose", "mfenced", "merror",
]  # fmt: skip
_HTML_INSIDE = ["title", "desc", "foreignObject", "foreignobject", "mi", "mo", "mn", "ms", "mtext"]


def _one_of(names: Iterable[str]) -> str:
    return rf"(?:{'|'.join(sorted(names, key=len, reverse=True))})(?=[{_W}/>])"


_FOREIGN_TEXT = rf"(?:[^<]++|{_COMMENT}|{_BOGUS}|<(?![A-Za-z!?/]))"
_FOREIGN_ATTRS = rf"{_NEXT_ATTR}{{0,{MAX_ATTRS}}}+[{_W}/]*+"
_SELF_CLOSING = rf"<{_one_of(_FOREIGN_NAMES)}{_NEXT_ATTR}{{0,{MAX_ATTRS}}}+[{_W}/]*/>"


def _foreign_element(depth: int, names: Iterable[str] = _FOREIGN_NAMES) -> str:
    """A usual element inside SVG or MathML nested at most `depth` deep. (Loops holding a
    capturing group are atomic groups around a greedy loop, not possessive: in Python 3.11 the
    latter can fail with "The span of capturing group is wrong".)"""
    inner = _SELF_CLOSING if depth == 0 else rf"{_SELF_CLOSING}|{_foreign_element(depth - 1)}"
    return (
        rf"(?><(?P<t{depth}>{_one_of(_HTML_INSIDE)}){_FOREIGN_ATTRS}(?<!/)>{_FOREIGN_TEXT}*+"
        rf"</(?P=t{depth})>|<(?P<e{depth}>{_one_of(names)}){_FOREIGN_ATTRS}(?<!/)>"
        rf"(?:{_FOREIGN_TEXT}|{inner})*</(?P=e{depth})>)"
    )


_FOREIGN_TOKEN = re.compile(  # text, a self-closing tag, a start tag, an end tag
    rf"{_FOREIGN_TEXT}++|{_SELF_CLOSING}|<({_one_of(_FOREIGN_NAMES)}){_FOREIGN_ATTRS}(?<!/)>"
    rf"|</({_one_of(_FOREIGN_NAMES)})[{_W}]*+>"
)
_INTEGRATION_TEXT = re.compile(rf"{_FOREIGN_TEXT}*+")
# HTML content up to the next thing that changes how the rest is read (a raw-text element other
# than a usual `<script>`, `<style>` or `<title>`, SVG or MathML other than the usual shapes, a
# frameset), the next crowded start tag or the page's end, in one call.
_HTML_RUN = re.compile(
    rf"(?>(?:[^<]++|{_END_TAG}"
    rf"|<(?!{_names((*_RAW_TEXT, 'plaintext', 'svg', 'math', 'frameset'))})[A-Za-z][^{_W}/>]*+"
    rf"{_ATTRS}|{_raw_element('script', '|!--')}|{_raw_element('style')}"
    rf"|{_raw_element('title')}|{_COMMENT}|{_HTML_BOGUS}|<(?![A-Za-z!?/])"
    rf"|{_foreign_element(_FOREIGN_DEPTH, ('svg', 'math'))})*)"
)
# Everything read as markup, as if no element held raw text (see `_AttributeGuard.unsure`).
_MARKUP_RUN = re.compile(
    rf"(?:[^<]++|{_END_TAG}|<[A-Za-z][^{_W}/>]*+{_ATTRS}|{_COMMENT}|{_BOGUS}"
    rf"|<!\[CDATA\[|<(?![A-Za-z!?/]))*+"
)
_RAW_END = {name: re.compile(rf"</{_anycase(name)}[{_W}/>]") for name in _RAW_TEXT}
_SCRIPT_TAG = re.compile(rf"<(/?){_anycase('script')}(?=[{_W}/>])")
_DATA, _ESCAPED, _DOUBLE_ESCAPED = range(3)  # the tokenizer's script data states


class _AttributeGuard:
    """One pass over a page, reading it as the HTML parser does, to find crowded start tags.

    Text, comments, doctypes, attribute values and the content of raw-text elements (`<script>`
    with its escapes, `<style>`, `<textarea>`, `<title>`...) are passed over untouched. Whether
    `<script>` or `<style>` holds raw text is the tree builder's call (inside SVG or MathML it
    holds markup): the guard follows SVG and MathML elements, the tags that leave them and their
    end tags. Where it cannot be sure (a start tag inside an SVG or MathML element whose content
    is HTML, an end tag of no open SVG or MathML element, `<font>` there, a frameset), it reads
    the rest of the page twice, as HTML content and as if no element held raw text, and trims
    the crowded start tags of both readings: too much rather than a slow parse.
    """

    def __init__(self, html: str) -> None:
        self.html = html
        self.cuts: list[tuple[int, int]] = []  # spans of attributes to drop
        self.sure = True

    def run(self) -> str:
        html, pos, foreign = self.html, 0, list[str]()
        while pos < len(html):
            if foreign:
                pos = self.foreign_token(pos, foreign)
                continue
            run = _HTML_RUN.match(html, pos)
            assert run is not None  # it matches the empty string
            pos = run.end()
            if not _START_TAG.match(html, pos):
                break  # the page ends, or ends inside a comment, a declaration or an end tag
            name, end = self.tag(pos)
            close = _TAG_END.match(html, end)
            if close is None:
                break  # the page ends inside the tag
            pos = close.end()
            if name in _RAW_END:
                pos = self.raw_text_end(name, pos)
            elif name == "plaintext":
                break  # the rest of the page is text
            elif not self.sure:
                continue
            elif name in ("svg", "math") and not close.group().endswith("/>"):
                foreign.append(name)
            elif name == "frameset":
                self.unsure(pos)
        if not self.cuts:
            return html
        logger.info("start tags with over %d attributes trimmed", MAX_ATTRS)
        pieces, done = [], 0
        for start, end in sorted(self.cuts):
            if end > done:
                pieces.append(html[done : max(start, done)])
                done = end
        return "".join(pieces) + html[done:]

    def tag(self, start: int, trim: bool = True) -> tuple[str, int]:
        """The tag at `start`: its lower-cased name and where its attributes end, those after
        the MAX_ATTRS-th cut when `trim`."""
        kept = _KEPT.match(self.html, start)
        more = _MORE.match(self.html, kept.end()) if kept else None
        assert kept is not None and more is not None  # "<" and a letter; the empty string
        if trim and more.end() > kept.end():
            self.cuts.append((kept.end(), more.end()))
        return kept.group(1).lower(), more.end()

    def raw_text_end(self, name: str, pos: int) -> int:
        """Where the raw text or RCDATA content of `name` starting at `pos` ends."""
        html = self.html
        if name != "script":
            found = _RAW_END[name].search(html, pos)
            return found.start() if found else len(html)
        state = _DATA
        while True:
            tag = _SCRIPT_TAG.search(html, pos)
            stop = tag.start() if tag else len(html)
            if state == _DATA and (opening := html.find("<!--", pos, stop)) >= 0:
                state, pos = _ESCAPED, opening + 2  # its dashes can end it at once: "<!-->"
            elif state != _DATA and (closing := html.find("-->", pos, stop)) >= 0:
                state, pos = _DATA, closing + 3
            elif tag is None:
                return len(html)
            elif tag.group(1) and state != _DOUBLE_ESCAPED:  # "</script": the end
                return stop
            else:
                pos = tag.end()
                if tag.group(1):  # "</script" ends a double escape
                    state = _ESCAPED
                elif state == _ESCAPED:  # "<script" in an escape starts one
                    state = _DOUBLE_ESCAPED

    def foreign_token(self, pos: int, foreign: list[str]) -> int:
        """Past the next tag inside SVG or MathML; `foreign` holds their open elements."""
        html = self.html
        if foreign[-1] in _INTEGRATION:
            run = _INTEGRATION_TEXT.match(html, pos)
            assert run is not None  # it matches the empty string
            pos = run.end()
        else:  # the usual tags, one by one but without the checks below
            while (token := _FOREIGN_TOKEN.match(html, pos)) is not None:
                if (opened := token.group(1)) is not None:
                    foreign.append(opened.lower())
                elif (closed := token.group(2)) is not None:
                    if closed.lower() != foreign[-1]:
                        break
                    foreign.pop()
                    if not foreign:
                        return token.end()
                pos = token.end()
        if html.startswith("<![CDATA[", pos):  # text up to "]]>"
            end = html.find("]]>", pos)
            return len(html) if end < 0 else end + 3
        if (opening := _TAG.match(html, pos)) is None:
            return len(html)  # the page ends, or ends inside a comment or a declaration
        closing = opening.group().startswith("</")
        name, end = self.tag(pos, trim=not closing)  # a tag read again as HTML: the same cut
        if not closing and name in _BREAKOUT and foreign[-1] not in _INTEGRATION:
            foreign.clear()  # back in HTML content, where the tag is read again
            return pos
        if not closing and (foreign[-1] in _INTEGRATION or name == "font"):
            foreign.clear()  # HTML inside SVG or MathML; <font> leaves them only sometimes
            return self.unsure(pos)
        close = _TAG_END.match(html, end)
        if close is None:
            return len(html)
        if not closing:
            if not close.group().endswith("/>"):
                foreign.append(name)
            return close.end()
        for open_ in range(len(foreign) - 1, -1, -1):  # each element looked at is closed
            if foreign[open_] == name:
                del foreign[open_:]
                return close.end()
        foreign.clear()  # the end tag of an HTML element, which may close SVG and MathML
        return self.unsure(pos)

    def unsure(self, pos: int) -> int:
        """From `pos` on, trim the crowded start tags of a reading of the page with no raw
        text; the caller goes on reading it as HTML content, SVG and MathML left aside."""
        html, at = self.html, pos
        self.sure = False
        while (run := _MARKUP_RUN.match(html, at)) is not None and _START_TAG.match(
            html, run.end()
        ):
            close = _TAG_END.match(html, self.tag(run.end())[1])
            if close is None:
                break
            at = close.end()
        return pos


def trim_attributes(html: str) -> str:
    """Drop the attributes of a start tag after its MAX_ATTRS-th (Lexbor is quadratic in them)."""
    return _AttributeGuard(html).run()
