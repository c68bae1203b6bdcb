"""Writing traps: Markdown that builds without an error but not as the writer meant.

- `**` left as text: a bold whose pair did not match (a missing `**`, or a space inside it)
  shows its asterisks on the page. Found in the rendered body (the parser's own verdict,
  code left out), then located at the source line holding those characters.
- Template syntax in a body is a warning of every build (ssg.content.template_syntax), so
  `ssg check` reports it with the build's warnings.
- `---` right under a one-line paragraph is a setext underline: the line becomes a heading,
  where the writer usually meant a rule. Found from the source lines alone (a blank line
  before, a text line, then `---`), whatever the parser does with longer paragraphs.

Each trap is (line in the source file, message); the caller names the file.
"""

from __future__ import annotations

import html as html_text
import re

from ssg.content.frontmatter import body_start, normalize_text
from ssg.content.template_syntax import fenced_lines, outside_code, prose_lines

Trap = tuple[int, str]  # (1-based line in the source file, message)

_CODE_HTML = re.compile(r"<(pre|code)\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
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
    shown = _CODE_HTML.sub("", body_html) if outside_code(body_html, marks) else None
    bold = shown is not None and "**" in shown
    underline = _UNDERLINE.search(source, max(0, body_offset(source) - 1)) is not None
    if not (bold or underline):
        return []  # nearly every post: the source is not even decoded
    text = normalize_text(source.decode("utf-8", "replace"))
    body = body_start(text)
    lines = text.split("\n")
    start = text.count("\n", 0, body)
    code = fenced_lines(lines, start)
    traps: list[Trap] = []
    if bold:
        traps += _unpaired_bold(shown or "", lines, start, code)
    if underline:
        traps += _setext_headings(lines, start, code)
    return sorted(set(traps))


def body_offset(source: bytes) -> int:
    """Where the body of a source file starts: after its front matter's closing line."""
    closing = _FRONT_MATTER_END.search(source) if source.startswith(b"---") else None
    return closing.end() if closing else 0


def _unpaired_bold(shown: str, lines: list[str], start: int, code: set[int]) -> list[Trap]:
    """A line for each text of the rendered body still showing `**`."""
    traps = []
    prose = [(index, line) for index, line in prose_lines(lines, start, code) if "**" in line]
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
