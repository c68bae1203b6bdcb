"""Writing traps: Markdown that builds without an error but not as the writer meant.

- `**` left as text: a bold whose pair did not match (a missing `**`, or a space inside it)
  shows its asterisks on the page. Found in the rendered body (the parser's own verdict,
  code left out), then located at the source line holding those characters.
- Template syntax in a body (`{{ … }}`, `{% … %}` of Liquid or Jinja, Hugo's `{{< … >}}`):
  posts moved from Jekyll or Hugo keep it, and ssg shows it as text. Reported when the
  rendered body shows it outside code, at each source line holding it outside code.
- `---` right under a one-line paragraph is a setext underline: the line becomes a heading,
  where the writer usually meant a rule. Found from the source lines alone (a blank line
  before, a text line, then `---`), whatever the parser does with longer paragraphs.

Each trap is (line in the source file, message); the caller names the file.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterator

from ssg.content.frontmatter import body_start, normalize_text

Trap = tuple[int, str]  # (1-based line in the source file, message)

_CODE_HTML = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_TEMPLATE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{\{.*?\}\}|\{%.*?%\}")
_TEMPLATE_IN_HTML = ("{{", "{%", "%7B%7B", "%7B%25")
_UNDERLINE = re.compile(rb"\n {0,3}-{3,}[ \t]*\r?(?:\n|$)")  # a line of dashes
_FRONT_MATTER_END = re.compile(rb"\n(?:---|\.\.\.)[ \t]*\r?(?:\n|$)")
# Lines that do not start a paragraph, so `---` under them is no heading: ATX headings, list
# items, quotes, HTML, fences, callouts, footnote and link definitions, indented code.
_NOT_PARAGRAPH = re.compile(
    r" {0,3}(?:#{1,6}(?:[ \t]|$)|[-+*][ \t]|\d{1,9}[.)][ \t]|>|<|`{3}|~{3}|:::|\[[^\]]*\]:)"
    r"|    |\t"
)
_UNDERLINE_LINE = re.compile(r" {0,3}-{3,}[ \t]*$")


def find_traps(source: bytes, body_html: str) -> list[Trap]:
    """The traps of one source file (its bytes as read) whose rendered body is `body_html`."""
    marks = ["**"] if "**" in body_html else []
    for first, template_marks in (("{", ("{{", "{%")), ("%7B", ("%7B%7B", "%7B%25"))):
        if first in body_html:  # rare: one scan of the body for the pair
            marks += [mark for mark in template_marks if mark in body_html]
    shown = _CODE_HTML.sub("", body_html) if _outside_code(body_html, marks) else None
    bold = shown is not None and "**" in shown
    template = shown is not None and any(mark in shown for mark in _TEMPLATE_IN_HTML)
    underline = _UNDERLINE.search(source, max(0, body_offset(source) - 1)) is not None
    if not (bold or template or underline):
        return []  # nearly every post: the source is not even decoded
    text = normalize_text(source.decode("utf-8", "replace"))
    body = body_start(text)
    lines = text.split("\n")
    start = text.count("\n", 0, body)
    code = _fenced_lines(lines, start)
    traps: list[Trap] = []
    if bold:
        traps += _unpaired_bold(shown or "", lines, start, code)
    if template:
        traps += _template_syntax(lines, start, code)
    if underline:
        traps += _setext_headings(lines, start, code)
    return sorted(set(traps))


def body_offset(source: bytes) -> int:
    """Where the body of a source file starts: after its front matter's closing line."""
    closing = _FRONT_MATTER_END.search(source) if source.startswith(b"---") else None
    return closing.end() if closing else 0


def _outside_code(html: str, marks: list[str]) -> bool:
    """Some of `marks` occurs in `html` outside <pre> and <code> (code shows `**kwargs`)."""
    for mark in marks:
        at = html.find(mark)
        while at >= 0:
            opened = max(html.rfind("<code", 0, at), html.rfind("<pre", 0, at))
            closed = max(html.rfind("</code>", 0, at), html.rfind("</pre>", 0, at))
            if opened < 0 or closed > opened:
                return True
            at = html.find(mark, at + len(mark))
    return False


def _fenced_lines(lines: list[str], start: int) -> set[int]:
    """Indexes of the lines of fenced code blocks, fences included."""
    inside: set[int] = set()
    fence = ""
    for index in range(start, len(lines)):
        line = lines[index]
        if fence:
            inside.add(index)
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            inside.add(index)
    return inside


def _prose(lines: list[str], start: int, code: set[int]) -> Iterator[tuple[int, str]]:
    """(index, text) of each body line outside fenced code, with its code spans removed."""
    for index in range(start, len(lines)):
        if index not in code:
            line = lines[index]
            yield index, _CODE_SPAN.sub("", line) if "`" in line else line


def _unpaired_bold(shown: str, lines: list[str], start: int, code: set[int]) -> list[Trap]:
    """A line for each text of the rendered body still showing `**`."""
    traps = []
    prose = [(index, line) for index, line in _prose(lines, start, code) if "**" in line]
    for node in _TAG.sub("\0", shown).split("\0"):
        if "**" not in node:
            continue
        text = html_text.unescape(node)
        at = text.index("**")
        pieces = [text[max(0, at - 8) : at + 10], text[at : at + 6], text[max(0, at - 6) : at + 2]]
        pieces = [piece for piece in pieces if piece.strip("* ")]  # more than the asterisks
        index = next((i for piece in pieces for i, line in prose if piece in line), None)
        if index is None:  # inline markup splits the text: the first line with an odd count
            odd = [i for i, line in prose if line.replace("\\*", "").count("**") % 2]
            index = odd[0] if odd else None  # else escaped (\*\*) or not from this body
        if index is not None:
            traps.append((index + 1, _UNPAIRED_BOLD))
    return traps


_UNPAIRED_BOLD = ("unpaired ** is shown as text; close the bold with **, keep no space just "
                  "inside it, or write \\*\\* for asterisks")  # fmt: skip


def _template_syntax(lines: list[str], start: int, code: set[int]) -> list[Trap]:
    traps = []
    for index, line in _prose(lines, start, code):
        for match in _TEMPLATE.finditer(line):
            snippet = match.group(0)
            shown = snippet if len(snippet) <= 40 else snippet[:37] + "..."
            if snippet.startswith(("{{<", "{{%")):
                what = f"Hugo shortcode {shown} is shown as text: ssg runs no shortcodes"
            else:
                what = (f"template syntax {shown} is shown as text: ssg runs no Liquid or "
                        "Jinja in posts")  # fmt: skip
            traps.append((index + 1, f"{what}; remove it, or put it in `code` to show it"))
    return traps


def _setext_headings(lines: list[str], start: int, code: set[int]) -> list[Trap]:
    """`---` under a one-line paragraph (a blank line, or the body's start, above it)."""
    traps = []
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if index in code or not _UNDERLINE_LINE.match(line):
            continue
        above = lines[index - 1]
        if not above.strip() or index - 1 in code or _NOT_PARAGRAPH.match(above):
            continue
        if index - 2 >= start and lines[index - 2].strip():
            continue  # a longer paragraph: the parser makes that a rule
        traps.append((index + 1, "--- under a one-line paragraph makes that line a heading, "
                      "not a rule; put a blank line above --- for a rule, or write ## for a "
                      "heading"))  # fmt: skip
    return traps
