"""Liquid in Jekyll posts and pages rewritten as the plain Markdown or HTML it stood for.

Jekyll runs Liquid over the whole file before Markdown, code blocks included, so this does
too; only `{% raw %}` protects text. What cannot be rewritten stays in place, visibly, and
is reported at its line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ssg.importers.report import CONVERTED, REPORTED, ImportReport

_TOKEN = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.DOTALL)
_PARAM = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*'|\S+)""")
_INCLUDE_VAR = re.compile(r"\{\{-?\s*include\.([\w-]+)\s*-?\}\}")
_STRING = re.compile(r"""^("[^"]*"|'[^']*')$""")


@dataclass(frozen=True, slots=True)
class LiquidContext:
    """What the site's Liquid can refer to, in the new site's URLs."""

    post_urls: Mapping[str, str]  # `2013-10-03-slug` (and `cat/2013-…`) -> new URL
    link_urls: Mapping[str, str]  # a file's old path (`_posts/…md`, `about.md`) -> new URL
    baseurl: str  # "" or `/blog`
    url: str  # `https://example.com`, no trailing slash
    includes: Mapping[str, str] = field(default_factory=dict)  # `_includes/` name -> text
    site: Mapping[str, str] = field(default_factory=dict)  # `_config.yml`'s text values
    page: Mapping[str, str] = field(default_factory=dict)  # this file's front matter's


@dataclass(slots=True)
class _Run:
    text: str
    path: str
    first_line: int
    context: LiquidContext
    report: ImportReport
    out: list[str] = field(default_factory=list)

    def line_at(self, index: int) -> int:
        return self.first_line + self.text.count("\n", 0, index)

    def note(self, index: int, kind: str, message: str) -> None:
        self.report.add(self.path, self.line_at(index), kind, message)


def convert_liquid(text: str, context: LiquidContext, path: str, first_line: int,
                   report: ImportReport) -> str:  # fmt: skip
    """`text` (a body starting at file line `first_line`) with its Liquid converted."""
    run = _Run(text, path, first_line, context, report)
    position = 0
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            run.out.append(text[position:])
            return "".join(run.out)
        run.out.append(text[position : match.start()])
        position = _convert(run, match)


def _convert(run: _Run, match: re.Match[str]) -> int:
    """Append what `match` becomes; return where scanning goes on."""
    if match[3] is not None:
        return _output(run, match)
    tag, args = match[1], match[2].strip()
    if tag in ("raw", "comment", "highlight"):
        return _block(run, match, tag, args)
    if tag in ("post_url", "link"):
        return _reference(run, match, tag, args)
    if tag == "include":
        return _include(run, match, args)
    run.out.append(match[0])
    run.note(match.start(), REPORTED, f"Liquid {{% {tag} %}} left as is; rewrite it by hand")
    return match.end()


def _block(run: _Run, match: re.Match[str], tag: str, args: str) -> int:
    end = re.compile(r"\{%-?\s*end" + tag + r"\s*-?%\}").search(run.text, match.end())
    if end is None:
        run.out.append(match[0])
        run.note(match.start(), REPORTED, f"{{% {tag} %}} without {{% end{tag} %}}; left as is")
        return match.end()
    inner = run.text[match.end() : end.start()]
    after = end.end()
    if tag == "raw":
        if _alone_on_line(run.text, match):  # the tag's whole line goes, not just the tag
            _drop_line_start(run)
            inner = inner.removeprefix("\n")
        if _alone_on_line(run.text, end):
            inner, after = _without_last_line(inner), _past_newline(run.text, after)
        run.out.append(inner)
        run.note(match.start(), CONVERTED, "{% raw %} removed, its text kept verbatim")
    elif tag == "comment" and _in_fence(run.text, match.start()):
        run.note(match.start(), CONVERTED, "{% comment %} in code removed (Jekyll showed none)")
    elif tag == "comment":
        run.out.append(f"<!--{inner.replace('--', '- -')}-->")
        run.note(match.start(), CONVERTED, "{% comment %} made an HTML comment")
    else:
        words = args.split()
        language = words[0] if words else ""
        code = convert_liquid(inner.strip("\n"), run.context, run.path,
                              run.line_at(match.end()), run.report)  # fmt: skip
        run.out.append(f"```{language}\n{code}\n```")
        run.note(match.start(), CONVERTED, f"{{% highlight {language} %}} made a fenced block")
        if "linenos" in words[1:]:
            run.note(match.start(), REPORTED, "linenos: ssg does not number code lines")
    return after


_FENCE_LINE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)


def _in_fence(text: str, index: int) -> bool:
    """Whether `index` is inside a fenced code block, where an HTML comment would show."""
    return len(_FENCE_LINE.findall(text, 0, index)) % 2 == 1


def _alone_on_line(text: str, match: re.Match[str]) -> bool:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    end = len(text) if end == -1 else end
    return not text[start : match.start()].strip() and not text[match.end() : end].strip()


def _drop_line_start(run: _Run) -> None:
    """Drop the blank start of the current line, already written."""
    if run.out:
        last = run.out[-1]
        run.out[-1] = last[: last.rfind("\n") + 1]


def _without_last_line(inner: str) -> str:
    cut = inner.rfind("\n")
    return inner[: cut + 1] if cut != -1 else ""


def _past_newline(text: str, index: int) -> int:
    newline = text.find("\n", index)
    return len(text) if newline == -1 else newline + 1


def _in_markdown_link(run: _Run) -> bool:
    """Whether the text so far ends inside a Markdown link target: ssg adds the base path
    to those itself, so they take the site-relative URL."""
    before = "".join(run.out[-3:])
    return re.search(r"\]\(\s*$|^\s*\[[^\]]+\]:\s*$", before, re.MULTILINE) is not None


def _site_url(run: _Run, url: str) -> str:
    return url if _in_markdown_link(run) else run.context.baseurl + url


def _reference(run: _Run, match: re.Match[str], tag: str, args: str) -> int:
    target = args.strip("\"'")
    urls = run.context.post_urls if tag == "post_url" else run.context.link_urls
    url = urls.get(target) or urls.get(target.lstrip("/"))
    if url is None:
        run.out.append(match[0])
        run.note(match.start(), REPORTED, f"{{% {tag} {target} %}}: no such file in the site")
    else:
        run.out.append(_site_url(run, url))
        run.note(match.start(), CONVERTED, f"{{% {tag} {target} %}} -> {url}")
    return match.end()


def _include(run: _Run, match: re.Match[str], args: str) -> int:
    name, _, params = args.partition(" ")
    template = run.context.includes.get(name)
    given = {key: _parameter(run.context, value) for key, value in _PARAM.findall(params)}
    unquoted = [key for key, value in given.items() if value is None]
    if template is not None and not unquoted:
        template = _choose_branches(template, given)
    others = _TOKEN.findall(_INCLUDE_VAR.sub("", template)) if template is not None else []
    if template is None or unquoted or others:
        why = ("no such file in _includes/" if template is None
               else f"parameter {unquoted[0]} is a variable" if unquoted
               else "the include has Liquid beyond {{ include.* }}")  # fmt: skip
        run.out.append(match[0])
        run.note(match.start(), REPORTED, f"{{% include {name} %}} left as is: {why}")
        return match.end()
    run.out.append(_INCLUDE_VAR.sub(lambda m: given.get(m[1]) or "", template).rstrip("\n"))
    run.note(match.start(), CONVERTED, f"{{% include {name} %}} inlined")
    return match.end()


# `{% if include.k %}…{% else %}…{% endif %}` (and unless), innermost first.
_INCLUDE_IF = re.compile(
    r"\{%-?\s*(if|unless)\s+include\.([\w-]+)\s*-?%\}"
    r"((?:(?!\{%-?\s*(?:if|unless)\b).)*?)"
    r"(?:\{%-?\s*else\s*-?%\}((?:(?!\{%-?\s*(?:if|unless)\b).)*?))?"
    r"\{%-?\s*end(?:if|unless)\s*-?%\}",
    re.DOTALL,
)


def _choose_branches(template: str, given: Mapping[str, str | None]) -> str:
    """The include with its `if include.k` blocks decided by the parameters given."""
    while True:
        decided = _INCLUDE_IF.sub(
            lambda m: m[3] if bool(given.get(m[2])) == (m[1] == "if") else m[4] or "", template
        )
        if decided == template:
            return decided
        template = decided


def _parameter(context: LiquidContext, value: str) -> str | None:
    """An include parameter's value: a string, or `page.X`/`site.X` text; else None."""
    if _STRING.match(value):
        return value[1:-1]
    return _scalar(context, value) if value.startswith(("page.", "site.")) else None


def _output(run: _Run, match: re.Match[str]) -> int:
    expression = match[3].strip()
    value = _evaluate(run, expression)
    if value is None:
        run.out.append(match[0])
        run.note(match.start(), REPORTED, f"Liquid {{{{ {expression} }}}} left as is")
    else:
        run.out.append(value)
        run.note(match.start(), CONVERTED, f"{{{{ {expression} }}}} -> {value or '(nothing)'}")
    return match.end()


def _scalar(context: LiquidContext, name: str) -> str | None:
    """`site.title`, `page.title`: a text value of the config or the file's front matter."""
    scope, _, key = name.partition(".")
    values = context.site if scope == "site" else context.page
    value = values.get(key)
    return value if isinstance(value, str) else None


def _evaluate(run: _Run, expression: str) -> str | None:
    """The value of `site.baseurl`, `site.url`, text of `site.X`/`page.X` or a string,
    through relative_url, absolute_url, prepend and append; None for anything else."""
    head, *filters = (part.strip() for part in expression.split("|"))
    context = run.context
    if head == "site.baseurl":
        value = "" if _in_markdown_link(run) and not filters else context.baseurl
    elif head == "site.url":
        value = context.url
    elif head.startswith(("site.", "page.")) and _scalar(context, head) is not None:
        value = _scalar(context, head) or ""
    elif _STRING.match(head):
        value = head[1:-1]
    else:
        return None
    for name in filters:
        if name == "relative_url":
            path = "/" + value.lstrip("/") if value else "/"
            value = _site_url(run, path)
        elif name == "absolute_url":
            value = context.url + context.baseurl + "/" + value.lstrip("/")
        elif name.startswith(("prepend:", "append:")):
            verb, _, argument = name.partition(":")
            if argument.strip() == "site.baseurl" and verb == "prepend":
                value = _site_url(run, value)  # the old idiom for relative_url
                continue
            text = _argument(context, argument.strip())
            if text is None:
                return None
            value = text + value if verb == "prepend" else value + text
        else:
            return None
    return value


def _argument(context: LiquidContext, argument: str) -> str | None:
    if _STRING.match(argument):
        return argument[1:-1]
    if argument in ("site.url", "site.baseurl"):
        return context.url if argument == "site.url" else context.baseurl
    return _scalar(context, argument) if argument.startswith(("site.", "page.")) else None
