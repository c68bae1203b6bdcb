"""Task-list checkboxes named by their item's text.

markdown-it-py draws a task item's checkbox before the item's text, unlabelled: a screen
reader announces "checkbox, checked" without saying what was checked (axe-core's `label`
rule, critical). Here the checkbox and the text of the item's first paragraph go into one
`<label>`, which names the box by that text without ids, which could collide when several
posts' excerpts share a list page.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token


def labelled_task_lists(md: MarkdownIt) -> None:
    """Plugin: `- [x] 決算を確認` -> `<li …><label><input …checked=""> 決算を確認</label></li>`."""
    md.core.ruler.push("task_labels", label_task_items)


def label_task_items(state: StateCore) -> None:
    """Core rule: move each task item's checkbox into a label around its first paragraph's
    text. An item that does not start with a paragraph keeps markdown-it's own checkbox."""
    if "[" not in state.src:
        return  # no task item without one; most posts skip the walk
    tokens = state.tokens
    for i, token in enumerate(tokens[:-2]):
        if token.type != "list_item_open" or not token.meta or "checked" not in token.meta:
            continue
        paragraph, inline = tokens[i + 1], tokens[i + 2]
        if paragraph.type != "paragraph_open" or inline.type != "inline":
            continue
        checked = token.meta.pop("checked")  # list_item_open now renders no checkbox
        disabled = "" if state.md.options.get("tasklists_editable") else ' disabled=""'
        ticked = ' checked=""' if checked else ""
        start = html_inline(
            f'<label><input class="task-list-item-checkbox"{disabled} type="checkbox"{ticked}> '
        )
        inline.children = [start, *(inline.children or ()), html_inline("</label>")]


def html_inline(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token
