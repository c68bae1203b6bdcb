"""Bare URLs (GFM's autolink extension) in linear time, however long the line.

mdit-py-plugins' protocol rule finds the `http` or `mailto` before a `:` with a regular
expression over all the text pending since the last token. On a line of 30,000 `<http://`
that text grows with every `:` and the line takes minutes. Flushing long pending text as a
token of its own keeps each look-back short; markdown-it's core rule `text_join` joins
adjacent text tokens again, so the HTML is the same.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# Pending text longer than this is flushed, but for its last KEEP characters: more than
# the longest protocol name (`mailto`) and the character before it, which the rule reads.
LONG_PENDING = 256
KEEP = 16


def flush_long_pending(state: StateInline, silent: bool) -> bool:
    """Inline rule, tried at `:` just before the protocol rule; never matches."""
    if not silent and len(state.pending) > LONG_PENDING:
        keep = state.pending[-KEEP:]
        state.pending = state.pending[:-KEEP]
        state.pushPending()
        state.pending = keep
    return False


def linear_autolinks(md: MarkdownIt) -> None:
    md.inline.ruler.before("gfm_autolink_protocol", "flush_long_pending", flush_long_pending)
