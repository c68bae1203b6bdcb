"""`{.class #id key=value}` attributes (config `markdown_attributes: true`), safe ones only.

mdit-py-plugins' `attrs_plugin` reads them right after an inline element
(`[申し込む](/form/){.cta}`, `![図](a.png){width=300}`) and `attrs_block_plugin` on a line of
their own right before a block (`{.note}` above a paragraph). Imported Jekyll sites use
them for kramdown's `{: .cta}` lists. The writer owns the site, but attributes come from
Markdown that may be pasted from anywhere, so only what cannot run script passes: no
`on*` handler, no `style` that loads or computes (`url(`, `expression(`), and every URL
attribute through the same check as front-matter links (`is_safe_link`). What is dropped
is a warning at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, MutableMapping
from functools import partial
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin

from ssg.markdown.links import is_safe_link

# Ids the writer set, for heading ids to stay clear of (env key).
EXPLICIT_IDS = "explicit_ids"
_DROPPED = "dropped_attributes"  # token.meta key: (name, why) of what was left out

# Attributes whose value a browser loads or follows as a URL.
_URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "poster",
                             "cite", "background", "data", "ping", "longdesc"})  # fmt: skip
# CSS that fetches (url(), image-set(), @import), runs (expression(), IE's behavior,
# -moz-binding) or hides either behind an escape.
_UNSAFE_STYLE = re.compile(r"url\(|image-set\(|expression|behavior|binding|@import|\\|/\*")
# Names browsers make global variables of that scripts test (see parser.SCRIPT_GLOBALS).
_SCRIPT_GLOBAL_IDS = frozenset({"exports", "module", "require", "define", "global", "process"})


def markdown_attributes(md: MarkdownIt) -> None:
    """Plugin: `{...}` attributes after images, code, links and before blocks, unsafe
    ones dropped with a warning."""
    md.use(attrs_plugin)
    md.use(attrs_block_plugin)
    # The block plugin parks a line's attributes on an `attrs_block` token until its
    # core rule moves them onto the next block: checked before that move.
    md.core.ruler.before("attr", "safe_block_attributes", check_block_attributes)
    ruler = md.inline.ruler
    plugin_rule = ruler.getRules("")[ruler.get_active_rules().index("attr")]
    ruler.at("attr", partial(guarded_attr_rule, plugin_rule))
    md.core.ruler.push("dropped_attribute_warnings", warn_dropped_attributes)


def unsafe_reason(name: str, value: Any) -> str | None:
    """Why the attribute `name="value"` may not reach the page, or None if it may."""
    key = name.lower()
    text = str(value)
    if key.startswith("on"):
        return "event handlers run script"
    if key == "style" and _UNSAFE_STYLE.search(re.sub(r"\s", "", text).lower()):
        return "styles may not load URLs or run expressions"
    if key in _URL_ATTRIBUTES and not is_safe_link(text):
        return "links must be http(s), mailto or site paths"
    if key == "srcset" and not all(is_safe_link(part.split()[0]) for part in
                                   text.split(",") if part.split()):  # fmt: skip
        return "links must be http(s), mailto or site paths"
    if key == "id" and text in _SCRIPT_GLOBAL_IDS:
        return "browsers make ids global variables, and scripts test this name"
    return None


def safe_attributes(attrs: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(the attributes that may pass, [(name, why) of each dropped one])."""
    kept: dict[str, Any] = {}
    dropped: list[tuple[str, str]] = []
    for name, value in attrs.items():
        reason = unsafe_reason(name, value)
        if reason is None:
            kept[name] = value
        else:
            dropped.append((name, reason))
    return kept, dropped


def check_block_attributes(state: StateCore) -> None:
    """Core rule: drop unsafe attributes of `{...}` lines before they reach their block;
    note the ids they set."""
    for token in state.tokens:
        if token.type != "attrs_block":
            continue
        kept, dropped = safe_attributes(token.attrs)
        token.attrs = kept
        if dropped:
            line = token.map[0] + 1 if token.map else 1
            _warn(state.env, line, dropped)
        if "id" in kept:
            state.env.setdefault(EXPLICIT_IDS, set()).add(str(kept["id"]))


def guarded_attr_rule(rule: Callable[[StateInline, bool], bool], state: StateInline,
                      silent: bool) -> bool:  # fmt: skip
    """attrs_plugin's inline rule, then any unsafe attribute it set taken back off.

    The plugin merges the `{...}` into the opening token of the element before it (a
    link's `link_open`); comparing that token's attributes before and after tells which
    are the writer's, so a Markdown image's own `data:` source is left alone."""
    if state.src[state.pos] != "{":  # the plugin's own first test, before any copying
        return False
    opening = None if silent or not state.tokens else _opening_token(state.tokens)
    before = dict(opening.attrs) if opening is not None else {}
    if not rule(state, silent):
        return False
    if opening is None:
        return True
    added = {k: v for k, v in opening.attrs.items() if k not in before or before[k] != v}
    _, dropped = safe_attributes(added)
    # Newer plugins leave out `on*` and links markdown-it refuses themselves: say so too.
    for name, value in opening.meta.pop("insecure_attrs", {}).items():
        dropped.append((name, unsafe_reason(name, value) or "not a safe attribute"))
    for name, _why in dropped:
        if name in before:
            opening.attrs[name] = before[name]
        else:
            opening.attrs.pop(name, None)
    if dropped:
        opening.meta.setdefault(_DROPPED, []).extend(dropped)
    if "id" in opening.attrs and opening.attrs.get("id") != before.get("id"):
        state.env.setdefault(EXPLICIT_IDS, set()).add(str(opening.attrs["id"]))
    return True


def _opening_token(tokens: list[Token]) -> Token | None:
    """The token attributes after `tokens[-1]` go on: itself, or its opening token."""
    if tokens[-1].nesting != -1:
        return tokens[-1]
    depth = 0
    for token in reversed(tokens):
        depth += token.nesting
        if depth == 0:
            return token
    return None


def warn_dropped_attributes(state: StateCore) -> None:
    """Core rule: a warning at its line for each inline element that lost attributes."""
    for block in state.tokens:
        for child in block.children or ():
            dropped = child.meta.get(_DROPPED) if child.meta else None
            if dropped:
                _warn(state.env, block.map[0] + 1 if block.map else 1, dropped)


def _warn(env: MutableMapping[str, Any], line: int, dropped: list[tuple[str, str]]) -> None:
    names = ", ".join(name for name, _ in dropped)
    reasons = "; ".join(dict.fromkeys(why for _, why in dropped))
    env.setdefault("warnings", {})[line] = f"attribute {names} left out: {reasons}"
