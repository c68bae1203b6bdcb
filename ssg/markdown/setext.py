"""Setext headings (a line underlined with `---` or `===`) of one line only, as in kramdown.

CommonMark makes every line of a paragraph above a `---` line into one `<h2>`: a
three-line 【免責事項】 disclaimer followed by a rule became a heading with a
300-character id. kramdown (Jekyll), the other parser Japanese blogs migrate from,
only underlines a single line. So here a `---` under two or more lines is the thematic
break the writer meant, after the paragraph, and a `===` under them stays text in the
paragraph (kramdown keeps both as text). A single line followed by `---` or `===`
is still a heading, as everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.rules_block import StateBlock, lheading

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def single_line_setext_headings(md: MarkdownIt) -> None:
    """Replace markdown-it's `lheading` rule in `md` with `single_line_lheading`."""
    md.block.ruler.at("lheading", single_line_lheading)


def single_line_lheading(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:
    """markdown-it's `lheading`, when the line right after `startLine` is an underline.

    Otherwise the paragraph rule takes the lines, and a `---` ends it as a thematic break
    does. Looking at one line also spares the scan of every paragraph that `lheading`
    makes before the paragraph rule scans it again.
    """
    line = startLine + 1
    if line >= endLine or state.sCount[line] < state.blkIndent:
        return False
    if state.sCount[line] - state.blkIndent > 3:
        return False  # indented: a lazy continuation line, never an underline
    pos = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    if pos >= end or state.src[pos] not in "-=":
        return False
    if state.skipSpaces(state.skipCharsStr(pos, state.src[pos])) < end:
        return False
    # lheading finds this underline on its first step and makes the heading.
    return lheading(state, startLine, endLine, silent)
