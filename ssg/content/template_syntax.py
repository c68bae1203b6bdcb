"""Template syntax left in a body: `{{ … }}` and `{% … %}` of Liquid or Jinja, Hugo's
`{{< … >}}` and `{{% … %}}`.

Posts moved from Jekyll or Hugo keep it, and ssg runs no templates in posts, so the reader
sees it as text. Every build warns at each source line that shows it outside code, found
when the rendered body shows it outside `<pre>` and `<code>` (the parser's own verdict), so a
post that only shows template code in code blocks costs one substring search.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_TEMPLATE = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{\{.*?\}\}|\{%.*?%\}")
# How the marks look in rendered HTML: as text, or percent-encoded in a link (`](/{{ x }})`).
_TEMPLATE_IN_HTML = ("{{", "{%", "%7B%7B", "%7B%25")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")

Finding = tuple[int, str]  # (1-based line in the text given, message)


def template_syntax(body: str, html: str) -> list[Finding]:
    """Each line of `body` (a post's Markdown) holding template syntax that its rendered
    `html` shows outside code, with what to do about it."""
    marks = [mark for mark in _TEMPLATE_IN_HTML if mark in html]
    if not marks or not outside_code(html, marks):
        return []
    lines = body.split("\n")
    found = []
    for index, line in prose_lines(lines, 0, fenced_lines(lines, 0)):
        for match in _TEMPLATE.finditer(line):
            snippet = match.group(0)
            shown = snippet if len(snippet) <= 40 else snippet[:37] + "..."
            if snippet.startswith(("{{<", "{{%")):
                what = f"Hugo shortcode {shown} is shown as text: ssg runs no shortcodes"
            else:
                what = (f"template syntax {shown} is shown as text: ssg runs no Liquid or "
                        "Jinja in posts")  # fmt: skip
            found.append((index + 1, f"{what}; remove it, or put it in `code` to show it"))
    return found


def outside_code(html: str, marks: list[str]) -> bool:
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


def fenced_lines(lines: list[str], start: int) -> set[int]:
    """Indexes of the lines of fenced code blocks from `start` on, fences included."""
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


def prose_lines(lines: list[str], start: int, code: set[int]) -> Iterator[tuple[int, str]]:
    """(index, text) of each line from `start` on outside fenced code, code spans removed."""
    for index in range(start, len(lines)):
        if index not in code:
            line = lines[index]
            yield index, _CODE_SPAN.sub("", line) if "`" in line else line
