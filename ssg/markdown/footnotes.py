"""Footnotes under a heading, as every section should be; in excerpts, plain marks.

mdit-py-plugins opens the footnotes with `<section class="footnotes">` and no heading: the
Nu HTML Checker warns of such a section, and a screen reader's list of headings cannot
reach the notes. The heading is for screen readers only, as on GitHub, so the page looks
as before (`visually-hidden` in the default theme's style.css).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import render_footnote_ref as linked_footnote_ref

# Japanese, as the callouts' labels are: the parser does not know the site's language.
FOOTNOTES_HEADING = "脚注"
# Set in the env of an excerpt's render (parser.render_excerpt): a list page shows many.
IN_EXCERPT = "ssg_in_excerpt"


def titled_footnotes(md: MarkdownIt) -> None:
    """Plugin: the footnotes' `<section>` starts with a heading, as every section should
    (the Nu HTML Checker warns of one without); it is for screen readers, as on GitHub, so
    the page looks as before."""
    md.add_render_rule("footnote_block_open", render_footnote_block_open)
    md.add_render_rule("footnote_ref", render_footnote_ref)


def render_footnote_ref(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """A reference links to its note, except in an excerpt: there the note is on another
    page, and the link's id would repeat when two excerpts have a note 1."""
    if env.get(IN_EXCERPT):
        caption = self.rules["footnote_caption"](tokens, idx, options, env)
        return f'<sup class="footnote-ref">{caption}</sup>'
    return linked_footnote_ref(self, tokens, idx, options, env)


def render_footnote_block_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    rule = '<hr class="footnotes-sep" />' if options.xhtmlOut else '<hr class="footnotes-sep">'
    return (
        f'{rule}\n<section class="footnotes">\n'
        f'<h2 class="visually-hidden">{FOOTNOTES_HEADING}</h2>\n<ol class="footnotes-list">\n'
    )
