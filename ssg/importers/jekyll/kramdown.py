"""kramdown's inline attribute lists (`{: .class #id}`) and attribute list definitions
(`{:ref: .x}`) rewritten into the attrs syntax ssg reads with `markdown_attributes: true`
(mdit-py-plugins: `{.class}` right after an inline element, or on the line BEFORE a block;
kramdown puts a block's list on the line after it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ssg.importers.report import CONVERTED, REPORTED, ImportReport

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ALD = re.compile(r"^\s{0,3}\{:([\w][\w-]*):\s*(.*?)\}\s*$")
_TOC = re.compile(r"^\s{0,3}\{:\s*toc\s*\}\s*$")
_BLOCK_IAL = re.compile(r"^(\s{0,3})\{:(?!:)\s*(.*?)\}\s*$")
_HEADING_IAL = re.compile(r"^(\s{0,3}#{1,6}\s.*?)\s*(?:\{:(?!:)\s*([^}]*)\}|\{(#[^}]*)\})\s*$")
_SPAN_IAL = re.compile(r"(?<=[)`\]>])\{:(?!:)\s*([^}]*)\}")
# attrs_plugin takes attributes after links, images and code, not emphasis: `**a**{: .x}`
# is written as the HTML it stood for.
_EMPHASIS_IAL = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1\{:(?!:)\s*([^}]*)\}")
_OTHER_IAL = re.compile(r"\{::?[^}]*\}")
_ATTR = re.compile(r"""\.[\w-]+|#[\w:.-]+|[\w-]+=(?:"[^"]*"|'[^']*'|\S+)|[\w-]+""")
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s")
_ATX = re.compile(r"^\s{0,3}#{1,6}(\s|$)")


@dataclass(slots=True)
class _Run:
    path: str
    first_line: int
    report: ImportReport
    definitions: dict[str, str] = field(default_factory=dict)
    out: list[str] = field(default_factory=list)
    converted: int = 0

    def note(self, index: int, kind: str, message: str) -> None:
        self.report.add(self.path, self.first_line + index, kind, message)


def convert_kramdown(text: str, path: str, first_line: int,
                     report: ImportReport) -> tuple[str, int]:  # fmt: skip
    """`text` with its IALs and ALDs converted; and how many were converted."""
    run = _Run(path, first_line, report)
    text = _extensions(run, text)
    fence: str | None = None
    fence_start = -1
    last_fence_start = -1
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            run.out.append(line)
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence, last_fence_start = None, fence_start
            continue
        if opening:
            fence, fence_start = opening[1], len(run.out)
            run.out.append(line)
            continue
        _convert_line(run, index, line, last_fence_start)
    return "".join(run.out), run.converted


_EXTENSION = re.compile(r"\{::(comment|nomarkdown)\}(.*?)\{:/(?:comment|nomarkdown)?\}", re.DOTALL)
_OPTIONS = re.compile(r"\{::options\b[^}]*/\}[ \t]*\n?")


def _extensions(run: _Run, text: str) -> str:
    """kramdown's `{::comment}` becomes an HTML comment, `{::nomarkdown}` its raw text, and
    `{::options … /}` goes (ssg has one set of options)."""

    def replace(match: re.Match[str]) -> str:
        index = text.count("\n", 0, match.start())
        run.note(index, CONVERTED, f"{{::{match[1]}}} converted")
        inner = match[2]
        return f"<!--{inner.replace('--', '- -')}-->" if match[1] == "comment" else inner

    def drop(match: re.Match[str]) -> str:
        run.note(text.count("\n", 0, match.start()), CONVERTED, "{::options} dropped")
        return ""

    return _OPTIONS.sub(drop, _EXTENSION.sub(replace, text))


def _convert_line(run: _Run, index: int, line: str, last_fence_start: int) -> None:
    ald = _ALD.match(line)
    if ald:
        run.definitions[ald[1]] = ald[2]
        run.converted += 1
        run.note(index, CONVERTED, f"attribute list definition {{:{ald[1]}:}} applied")
        return
    if _TOC.match(line):
        _drop_toc_list(run)
        run.note(index, CONVERTED, "{:toc} list dropped: ssg's layout has a table of contents")
        return
    heading = _HEADING_IAL.match(line)
    if heading:
        content = heading[2] if heading[2] is not None else heading[3]
        _separate(run, len(run.out))
        run.out.append(f"{_attrs(run, content, index)}\n{heading[1]}\n")
        run.converted += 1
        run.note(index, CONVERTED, f"heading attributes {{{content}}} kept")
        return
    block = _BLOCK_IAL.match(line)
    if block:
        _block_ial(run, index, block[1], _attrs(run, block[2], index), last_fence_start)
        return
    line = _EMPHASIS_IAL.sub(lambda m: _emphasis(run, index, m), line)
    line = _SPAN_IAL.sub(lambda m: _span(run, index, m[1]), line)
    for leftover in _OTHER_IAL.findall(line):
        if leftover.startswith("{::"):
            run.note(index, REPORTED, f"kramdown extension {leftover} left as is")
        else:  # an IAL where attrs cannot go (a list item's start, after plain text)
            line = line.replace(leftover, "", 1)
            run.note(index, REPORTED, f"kramdown attributes {leftover} dropped: no place for them")
    run.out.append(line)


def _span(run: _Run, index: int, content: str) -> str:
    run.converted += 1
    run.note(index, CONVERTED, f"inline attributes {{: {content.strip()}}} kept")
    return _attrs(run, content, index)


def _emphasis(run: _Run, index: int, match: re.Match[str]) -> str:
    run.note(index, CONVERTED, f"attributes {{: {match[3].strip()}}} on emphasis made HTML")
    tag = "strong" if len(match[1]) == 2 else "em"
    classes, rest = [], []
    for part in _attrs(run, match[3], index)[1:-1].split():
        if part.startswith("."):
            classes.append(part[1:])
        elif part.startswith("#"):
            rest.append(f'id="{part[1:]}"')
        else:
            rest.append(part)
    attributes = ([f'class="{" ".join(classes)}"'] if classes else []) + rest
    return f"<{tag} {' '.join(attributes)}>{match[2]}</{tag}>".replace(f"<{tag} >", f"<{tag}>")


def _attrs(run: _Run, content: str, index: int) -> str:
    """kramdown's attribute list as attrs syntax: references expanded, quotes made double."""
    parts: list[str] = []
    for item in _ATTR.findall(content):
        if item[0] in ".#":
            parts.append(item)
        elif "=" in item:
            key, _, value = item.partition("=")
            value = value[1:-1] if value[:1] in "'\"" and value[-1:] == value[:1] else value
            parts.append(f'{key}="{value}"')
        elif item in run.definitions:
            expanded = _attrs(run, run.definitions[item], index)
            parts.extend(expanded[1:-1].split())
        else:
            run.note(index, REPORTED, f"attribute list reference {item!r} is not defined; dropped")
    return "{" + " ".join(parts) + "}"


def _block_ial(run: _Run, index: int, indent: str, attrs: str, last_fence_start: int) -> None:
    """A block IAL under a block goes before that block's first line; one before a block
    (a blank line above it) stays where it is."""
    run.converted += 1
    run.note(index, CONVERTED, f"block attributes {attrs} kept")
    if not run.out or not run.out[-1].strip():
        run.out.append(f"{indent}{attrs}\n")
        return
    start = len(run.out) - 1
    if _FENCE.match(run.out[start]) and last_fence_start >= 0:
        start = last_fence_start
    else:
        while start > 0 and run.out[start - 1].strip() and not _ATX.match(run.out[start - 1]):
            start -= 1
    run.out.insert(start, f"{indent}{attrs}\n")
    _separate(run, start)


def _separate(run: _Run, index: int) -> None:
    """A blank line above an attribute line at `index` when text is right above it: an
    attribute line cannot interrupt a paragraph (it would join it)."""
    if index > 0 and run.out[index - 1].strip():
        run.out.insert(index, "\n")


def _drop_toc_list(run: _Run) -> None:
    """kramdown's TOC is a one-item list (`* 目次`) marked `{:toc}` on the next line."""
    while run.out and _LIST_ITEM.match(run.out[-1]):
        run.out.pop()
