"""goldmark's Markdown where ssg's reads it otherwise: block attributes (`{.class}`) go on
the line AFTER their block in goldmark, and on the line BEFORE it in ssg (mdit-py-plugins'
attrs_block_plugin, with `markdown_attributes: true`)."""

from __future__ import annotations

import re

from ssg.importers.report import CONVERTED, ImportReport

_BLOCK_ATTRIBUTES = re.compile(r"^\{[.#][^{}\n]*\}[ \t]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")


def move_block_attributes(body: str, first_line: int, shown: str,
                          report: ImportReport) -> tuple[str, bool]:  # fmt: skip
    """`body` with each goldmark block-attribute line moved before its block, and whether
    the body has any attributes (so the new site needs `markdown_attributes: true`)."""
    lines = body.split("\n")
    found = False
    fence: str | None = None
    block_start = 0  # the first line of the block being read
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened[1]
            if number == 0 or not lines[number - 1].strip():
                block_start = number
            continue
        if not line.strip():
            block_start = number + 1
            continue
        if _BLOCK_ATTRIBUTES.match(line) and number > block_start:
            found = True
            lines.insert(block_start, lines.pop(number))
            report.add(shown, first_line + number, CONVERTED,
                       f"block attributes {line.strip()} moved above their block")  # fmt: skip
            block_start = number + 1
        elif _BLOCK_ATTRIBUTES.match(line):
            found = True
    return "\n".join(lines), found
