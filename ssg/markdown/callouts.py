"""Callouts as Japanese writers know them from Zenn and Qiita.

    :::message            :::note info     ::::details 外側のタイトル
    本文                  本文             :::message alert
    :::                   :::              入れ子は外側のコロンを増やす
                                           :::
                                           ::::

Boxes become `<aside class="callout callout-info|warn|alert" role="note">`. role="note"
rather than role="alert": the text is there when the page loads, and an alert role would
make screen readers interrupt the reader for it. Details become a native `<details>`.
Only the forms below are callouts; anything else (`:::foo`, `:::note danger`) stays text,
so a typo shows on the page instead of silently picking a look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin


@dataclass(frozen=True, slots=True)
class BoxKind:
    """How one kind of box looks and is announced."""

    css: str  # class suffix: callout-info, callout-warn, callout-alert
    label: str  # aria-label, read out by screen readers before the box's text


INFO = BoxKind("info", "メモ")
WARN = BoxKind("warn", "注意")
ALERT = BoxKind("alert", "警告")

# (name, variant) as written after the colons; "" is the bare form.
BOX_KINDS: dict[tuple[str, str], BoxKind] = {
    ("message", ""): INFO,  # Zenn
    ("message", "alert"): ALERT,
    ("note", ""): INFO,  # Qiita
    ("note", "info"): INFO,
    ("note", "warn"): WARN,
    ("note", "alert"): ALERT,
}
DEFAULT_DETAILS_TITLE = "詳細"


def split_params(params: str) -> tuple[str, str]:
    """`"details 決算の詳細"` -> `("details", "決算の詳細")`.

    str.split() with no argument also splits on the full-width space (U+3000) that
    Japanese input methods type, so `:::details　タイトル` works too.
    """
    parts = params.split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def is_box(params: str, _markup: str = "") -> bool:
    return split_params(params) in BOX_KINDS


def is_details(params: str, _markup: str = "") -> bool:
    return split_params(params)[0] == "details"


def render_box(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</aside>\n"
    kind = BOX_KINDS[split_params(token.info)]
    return f'<aside class="callout callout-{kind.css}" role="note" aria-label="{kind.label}">\n'


def render_details(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</div></details>\n"
    title = split_params(token.info)[1] or DEFAULT_DETAILS_TITLE
    # The title is plain text, as on Zenn: escaped, never parsed as Markdown or HTML.
    return (
        f'<details class="callout-details"><summary>{escape(title)}</summary>'
        '<div class="callout-details-body">\n'
    )


def callouts(md: MarkdownIt) -> None:
    """Plugin: Zenn's `:::message`, `:::message alert`, `:::details タイトル` and
    Qiita's `:::note [info|warn|alert]`. Nest by giving the outer fence more colons.

    The closing fence must be at least as long as the opening one, and it is found
    before the inside is parsed, so a `:::` line inside a code block in a callout
    still closes it; use a longer fence around such content.
    """
    container_plugin(md, "callout", validate=is_box, render=render_box)
    container_plugin(md, "details", validate=is_details, render=render_details)
