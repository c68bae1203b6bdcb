"""Where a post reads differently in ssg than in the generator it comes from, and the fixes
that are safe to make for the writer.

Jekyll renders Markdown with kramdown (its GFM parser), Hugo with goldmark (CommonMark with
its own extensions); ssg with markdown-it (CommonMark). Each difference below was seen by
building the same Markdown with Debian's jekyll 4.3 and hugo 0.111 and with ssg
(tests/test_dialect.py renders ssg's side of each):

- `---` under a paragraph of two or more lines: kramdown keeps it in the paragraph as a
  dash (—); goldmark makes the whole paragraph an `<h2>` (`===`: `<h1>`); ssg shows the
  paragraph and a rule (`===` stays text, as in kramdown).
- Lines with `|` but no `|---|` line: kramdown makes a table without a header; ssg and
  goldmark show text.
- Markdown right after an HTML block, with no blank line between: kramdown parses it;
  CommonMark (ssg, goldmark) keeps it in the HTML block, so `**x**` shows as typed.
- Definition lists (`Term` / `: definition`): kramdown and goldmark make a `<dl>`; ssg shows
  text. kramdown's abbreviations (`*[HTML]: …`), `$$` math and `{::comment}`-style
  extensions: ssg shows them as text.
- `## Title {#id}`: both set the heading's id; ssg shows the braces.
- A heading whose id would be a name scripts test (`exports`): ssg adds `-section`.

Lines are 1-based lines of the file: `body_line` is the file line where the body starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ssg.markdown.heading_ids import (
    goldmark_heading_id,
    goldmark_source,
    kramdown_heading_id,
    kramdown_text,
)
from ssg.markdown.parser import SCRIPT_GLOBALS, make_markdown

Note = tuple[int, str]  # (file line, what the reader sees and how to fix it)
# How the note on Markdown swallowed by an HTML block starts (separate_html_blocks fixes it).
SWALLOWED = "Markdown right after the <"

JEKYLL = "jekyll"
HUGO = "hugo"
_NAMES = {JEKYLL: "Jekyll (kramdown)", HUGO: "Hugo (goldmark)"}
_HEADING_IDS = {JEKYLL: "kramdown", HUGO: "goldmark"}

_DASHES = re.compile(r"[ \t>]*-{3,}[ \t]*")
_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_PIPE = re.compile(r"(?<!\\)\|")
# Liquid's filters (`{{ x | relative_url }}`) and Hugo's shortcodes run before the Markdown
# parser sees the line: their `|` makes no table.
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_DEFINITION = re.compile(r" {0,3}:[ \t]")
_ABBREVIATION = re.compile(r" {0,3}\*\[[^\]]+\]:")
_EXTENSION = re.compile(r" {0,3}\{::(\w+)")
_KRAMDOWN_HEADER_ID = re.compile(r"[\t ]\{#[A-Za-z][\w:-]*\}$")
_GOLDMARK_ATTRIBUTES = re.compile(r"\{[^{}]*[#.=][^{}]*\}$")
_START_TAG = re.compile(r" {0,3}<([A-Za-z][A-Za-z0-9-]*)")
# CommonMark's HTML blocks of kinds 1 (these) end at their closing tag, not at a blank line.
_SELF_ENDING = frozenset({"script", "pre", "style", "textarea"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})  # fmt: skip
# Elements kramdown reads as blocks (its HTML_BLOCK_ELEMENTS, the common ones): only after
# these is a blank line the same page in both; after an inline one (`<img>`) kramdown
# made one paragraph of the tag and the text.
_BLOCK_ELEMENTS = frozenset({"address", "article", "aside", "blockquote", "details", "div",
                             "dl", "fieldset", "figure", "footer", "form", "h1", "h2", "h3",
                             "h4", "h5", "h6", "header", "hr", "iframe", "nav", "ol", "p",
                             "section", "table", "ul", "video"})  # fmt: skip


def dialect_notes(body: str, body_line: int, generator: str) -> list[Note]:
    """Each place in `body` that renders differently in ssg than in `generator` ("jekyll"
    or "hugo"), one note per place, in line order."""
    if generator not in _NAMES:
        raise ValueError(f"generator must be {JEKYLL!r} or {HUGO!r}, got {generator!r}")
    lines = body.split("\n")
    tokens = _parser(_HEADING_IDS[generator]).parse(body)
    notes: dict[int, str] = {}
    for index in range(len(tokens)):
        for line, message in _notes_at(tokens, index, lines, generator):
            notes.setdefault(body_line + line, message)
    return sorted(notes.items())


@lru_cache(maxsize=2)
def _parser(heading_ids: str) -> MarkdownIt:
    return make_markdown(heading_ids=heading_ids)


def _notes_at(tokens: list[Token], index: int, lines: list[str],
              generator: str) -> Iterator[Note]:  # fmt: skip
    """The notes of the token at `index`, at 0-based body lines."""
    token = tokens[index]
    if token.map is None:
        return
    if token.type == "paragraph_open":
        yield from _setext_paragraph(tokens, index, lines, generator)
        yield from _paragraph_syntax(tokens, index, lines, generator)
    elif token.type == "html_block" and generator == JEKYLL:
        yield from _html_block(token, lines)
    elif token.type == "heading_open":
        yield from _heading(token, tokens[index + 1], generator)


def _setext_paragraph(tokens: list[Token], index: int, lines: list[str],
                      generator: str) -> Iterator[Note]:  # fmt: skip
    """`---` (or, for Hugo, any underline) right under a paragraph of two or more lines."""
    content_lines = tokens[index + 1].content.split("\n")
    after = tokens[index + 3] if index + 3 < len(tokens) else None
    end = (tokens[index].map or [0, 0])[1]
    rule_below = (
        after is not None
        and after.type == "hr"
        and (after.map or [-1])[0] == end
        and _DASHES.fullmatch(lines[end]) is not None
    )
    if len(content_lines) >= 2 and rule_below:
        if generator == JEKYLL:
            yield end, ("`---` right under this paragraph: Jekyll (kramdown) showed it as a "
                        "dash (—) at the paragraph's end, ssg shows a horizontal rule under "
                        "it; delete the line if no rule is meant")  # fmt: skip
        else:
            yield end, (f"`---` right under this {len(content_lines)}-line paragraph: Hugo "
                        "(goldmark) made the whole paragraph one <h2> heading, ssg shows the "
                        "paragraph and a horizontal rule; for a heading, write it as one "
                        "`## ` line")  # fmt: skip
    elif generator == HUGO and len(content_lines) >= 3 and _UNDERLINE.fullmatch(content_lines[-1]):
        level = "<h1>" if "=" in content_lines[-1] else "<h2>"
        line = (tokens[index].map or [0, 0])[0] + len(content_lines) - 1
        yield line, (f"`{content_lines[-1].strip()}` under a paragraph of "
                     f"{len(content_lines) - 1} lines: Hugo (goldmark) made them one {level} "
                     "heading, ssg shows the paragraph with this line as text; for a "
                     "heading, write it as one `#` line")  # fmt: skip


def _paragraph_syntax(tokens: list[Token], index: int, lines: list[str],
                      generator: str) -> Iterator[Note]:  # fmt: skip
    """Definition lists; for Jekyll also headerless tables, abbreviations, math and
    kramdown's `{::…}` extensions."""
    first = (tokens[index].map or [0, 0])[0]
    content = tokens[index + 1].content.split("\n")
    name = _NAMES[generator]
    for n, text in enumerate(content):
        if _DEFINITION.match(text) and (n or _after_paragraph(tokens, index)):
            yield first + n, (f"definition list (a term, then `: definition`): {name} "
                              "showed a term and its definition, ssg shows the text with the "
                              "colon; write it as a list (`- **term**: definition`) or a "
                              "table")  # fmt: skip
            break
    if generator != JEKYLL:
        return
    if _headerless_table(tokens, index, lines, content):
        which = "this line" if len(content) == 1 else f"these {len(content)} lines"
        yield first, (f"{which} with `|`: Jekyll (kramdown) showed a "
                      "table without a header row, ssg shows the text; for a table, add a "
                      "header row and a `|---|---|` line under it (if the `|` is text, "
                      "nothing to do)")  # fmt: skip
    for n, text in enumerate(content):
        yield from _kramdown_only(first + n, text)


def _kramdown_only(line: int, text: str) -> Iterator[Note]:
    if _ABBREVIATION.match(text):
        yield line, ("abbreviation `" + text.strip() + "`: Jekyll (kramdown) hid this line and "
                     "marked the word with <abbr>, ssg shows the line as text; delete it, or "
                     "spell the word out where it first appears")  # fmt: skip
    elif (extension := _EXTENSION.match(text)) is not None:
        yield line, (f"kramdown extension `{{::{extension.group(1)}}}`: ssg shows it and "
                     "what it encloses as text (Jekyll hid a comment and passed "
                     "`nomarkdown` as raw HTML); use <!-- … --> or plain HTML instead")  # fmt: skip
    elif "$$" in _CODE_SPAN.sub("", text):
        yield line, ("`$$` math: Jekyll (kramdown) wrote it out for MathJax, ssg shows the "
                     "dollar signs and the TeX as text; use an image, or write the formula "
                     "in words")  # fmt: skip


def _after_paragraph(tokens: list[Token], index: int) -> bool:
    return index > 0 and tokens[index - 1].type == "paragraph_close"


def _headerless_table(tokens: list[Token], index: int, lines: list[str],
                      content: list[str]) -> bool:  # fmt: skip
    """kramdown's table rule: every line has a `|` outside code, with a blank line (or a
    block's edge) above and below."""
    if not all(_PIPE.search(_TEMPLATE.sub("", _CODE_SPAN.sub("", text))) for text in content):
        return False
    start, end = tokens[index].map or [0, 0]
    above = start == 0 or not lines[start - 1].strip(" \t>") or tokens[index - 1].nesting == 1
    below = end >= len(lines) or not lines[end].strip(" \t>")
    return above and below


def _html_block(token: Token, lines: list[str]) -> Iterator[Note]:
    """Markdown lines after the element an HTML block opens, with no blank line between."""
    closing = _swallowing_end(token, lines)
    if closing is None:
        return
    line, tag = closing
    how = "" if tag in _BLOCK_ELEMENTS else " (the HTML then stands on its own)"
    yield line + 1, (f"{SWALLOWED}{tag}> HTML block, with no blank line "
                     "between: Jekyll (kramdown) rendered it, ssg shows it as typed, inside "
                     f"the HTML block (`**` and all); put a blank line above this "
                     f"line{how}")  # fmt: skip


def _swallowing_end(token: Token, lines: list[str]) -> tuple[int, str] | None:
    """(0-based line where the block's first element ends, its tag) when Markdown lines
    follow it inside the same HTML block; None otherwise."""
    start, end = token.map or [0, 0]
    opening = _START_TAG.match(lines[start])
    if opening is None or opening.group(1).lower() in _SELF_ENDING:
        return None
    tag = opening.group(1).lower()
    closed = start if tag in _VOID else _closing_line(tag, lines, start, end)
    if closed is None or closed + 1 >= end or lines[closed + 1].lstrip().startswith("<"):
        return None
    return closed, tag


def _closing_line(tag: str, lines: list[str], start: int, end: int) -> int | None:
    opens = re.compile(rf"<{tag}(?=[\s/>])(?![^>]*/>)", re.IGNORECASE)
    closes = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for n in range(start, end):
        depth += len(opens.findall(lines[n])) - len(closes.findall(lines[n]))
        if depth <= 0:
            return n
    return None


def _heading(token: Token, inline: Token, generator: str) -> Iterator[Note]:
    line = (token.map or [0, 0])[0]
    attributes = _KRAMDOWN_HEADER_ID if generator == JEKYLL else _GOLDMARK_ATTRIBUTES
    found = attributes.search(inline.content.rstrip())
    if found is not None:
        braces = found.group().strip()
        yield line, (f"heading attributes `{braces}`: {_NAMES[generator]} gave the heading "
                     f"its id from them, ssg shows `{braces}` in the heading; with "
                     "`markdown_attributes: true`, put them on a line of their own above "
                     "the heading")  # fmt: skip
        return
    given = str(token.attrs.get("id", ""))
    if generator == JEKYLL:
        base = kramdown_heading_id(kramdown_text(inline))
    else:
        base = goldmark_heading_id(goldmark_source(inline))
    if base in SCRIPT_GLOBALS and given.startswith(f"{base}-section"):
        yield line, (f"heading id `{given}`: {_NAMES[generator]} made it `{base}`, a name "
                     "scripts test (browsers make ids global variables), so ssg adds "
                     f"`-section`; links to #{base} land at the page's top: change "
                     "them")  # fmt: skip


def separate_html_blocks(body: str, body_line: int = 1) -> tuple[str, list[int]]:
    """`body` with a blank line after each top-level HTML block element that Markdown lines
    follow directly (kramdown parses them, CommonMark keeps them in the HTML block), and the
    file lines of the closing tags it went after (`body_line`: the body's first file line).

    Only after block elements (`</div>`): after an inline one (`<img>`) kramdown made one
    paragraph of tag and text, which a blank line would split."""
    lines = body.split("\n")
    after: list[int] = []
    for token in _parser("ssg").parse(body):
        if token.type == "html_block" and token.level == 0:
            closing = _swallowing_end(token, lines)
            if closing is not None and closing[1] in _BLOCK_ELEMENTS:
                after.append(closing[0])
    for line in reversed(after):
        lines.insert(line + 1, "")
    return "\n".join(lines), [body_line + line for line in after]


def convert_dialect(body: str, converted: str, body_line: int, generator: str
                    ) -> tuple[str, list[Note], list[Note]]:  # fmt: skip
    """The import's dialect step for one file: `converted` (its body after the importer's
    own conversions) with the safe fixes made, the fixes as notes, and the differences
    left, as notes. Notes are found in `body` as written, so their lines are the file's."""
    notes = dialect_notes(body, body_line, generator)
    _, closing = separate_html_blocks(body, body_line)
    converted, _ = separate_html_blocks(converted, body_line)
    if generator == HUGO:  # Jekyll's importer moves kramdown's `{#id}` with its IALs
        converted, _ = move_heading_attributes(converted, generator, body_line)
    fixed = [(line, "blank line added under the HTML block, so the Markdown right after it "
              f"renders as in {_NAMES[generator]}") for line, message in notes
             if message.startswith(SWALLOWED) and line - 1 in closing]  # fmt: skip
    moved = tuple(fixed_line for fixed_line, _ in fixed)
    left = [(line, message) for line, message in notes
            if line not in moved or not message.startswith(SWALLOWED)]  # fmt: skip
    if generator == HUGO:
        left = [(line, message) for line, message in left
                if not message.startswith("heading attributes")]  # fmt: skip
    return converted, fixed, left


def move_heading_attributes(body: str, generator: str, body_line: int = 1
                            ) -> tuple[str, list[int]]:  # fmt: skip
    """`body` with each top-level `## Title {#id}` written as a `{#id}` line above
    `## Title` (goldmark's `{#id .class}` too), as `markdown_attributes: true` reads them,
    and the file lines of those headings. A blank line goes above the attribute line when
    text is right above: an attribute line cannot interrupt a paragraph."""
    attributes = _KRAMDOWN_HEADER_ID if generator == JEKYLL else _GOLDMARK_ATTRIBUTES
    lines = body.split("\n")
    moved: list[tuple[int, str]] = []
    tokens = _parser("ssg").parse(body)
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level or token.markup[:1] != "#":
            continue
        line = (token.map or [0, 0])[0]
        found = attributes.search(lines[line].rstrip())
        if found is not None and attributes.search(tokens[index + 1].content.rstrip()):
            lines[line] = lines[line].rstrip()[: found.start()].rstrip()
            moved.append((line, found.group().strip()))
    for line, braces in reversed(moved):
        above = [""] if line and lines[line - 1].strip() else []
        lines[line:line] = [*above, braces]
    return "\n".join(lines), [body_line + line for line, _ in moved]
