"""Hugo shortcodes (`{{< name args >}}`, `{{% name %}}…{{% /name %}}`) turned into Markdown or
HTML: Hugo's common built-ins, and a site's own ones whose template only reads its arguments
and inner text. Anything else stays in place and is reported."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ssg.importers.report import CONVERTED, REPORTED, ImportReport

# One shortcode tag: `{{<` or `{{%`, an optional `/` (closing), the name, the arguments
# (quoted strings may hold `>`), an optional `/` (self-closing). `{{</* x */>}}` is Hugo's
# way to show a shortcode as text.
_TAG = re.compile(
    r"""\{\{(?P<delim>[<%])\s*(?P<comment>/\*)?\s*(?P<close>/)?\s*(?P<name>[\w./-]+)
        (?P<args>(?:"(?:[^"\\]|\\.)*"|`[^`]*`|[^"`<>%}/]|/(?![>%*]))*?)
        \s*(?P<self>/)?\s*(?P<endcomment>\*/)?\s*[>%]\}\}""",
    re.VERBOSE | re.DOTALL,
)
_ARG = re.compile(r"""\s*(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`=]+)""")
# Shortcodes whose inner text is code, kept exactly as written.
_CODE_SHORTCODES = {"highlight", "code"}


@dataclass(frozen=True, slots=True)
class Shortcode:
    name: str
    delim: str  # `<` or `%`
    positional: tuple[str, ...]
    named: dict[str, str]
    inner: str | None  # None: no closing tag

    def get(self, *keys: str | int) -> str:
        """The first of `keys` given (a name, or a position), else ""."""
        for key in keys:
            if isinstance(key, int):
                if key < len(self.positional):
                    return self.positional[key]
            elif key in self.named:
                return self.named[key]
        return ""


@dataclass(slots=True)
class ShortcodeContext:
    """What converting one file's shortcodes needs to know."""

    shown: str  # the old file, for the report: `content/posts/x.md`
    resolve: Callable[[str], str | None]  # a ref/relref target -> its URL on the new site
    templates: Mapping[str, str] = field(default_factory=dict)  # the site's own, by name
    params: Mapping[str, Any] = field(default_factory=dict)  # page's, then site's params


def convert_shortcodes(text: str, first_line: int, ctx: ShortcodeContext,
                       report: ImportReport) -> str:  # fmt: skip
    """`text` (a body starting at line `first_line` of the old file) with every shortcode
    converted that can be; each conversion and each shortcode left is a note."""
    if "{{" not in text:
        return text
    out: list[str] = []
    pos = 0
    for_line = _LineCounter(text, first_line)
    while (match := _TAG.search(text, pos)) is not None:
        out.append(text[pos : match.start()])
        line = for_line(match.start())
        if match["comment"]:  # `{{</* x */>}}`: the shortcode shown as text
            out.append(match[0].replace("/*", "", 1).replace("*/", "", 1).replace("  ", " "))
            report.add(ctx.shown, line, CONVERTED, "escaped shortcode {{</* */>}} made text")
            pos = match.end()
            continue
        if match["close"]:
            report.add(ctx.shown, line, REPORTED, f"closing {{{{< /{match['name']} >}}}} "
                       "without its opening tag; left in place")  # fmt: skip
            out.append(match[0])
            pos = match.end()
            continue
        end, inner = match.end(), None
        closing = None if match["self"] else _closing_tag(text, match.end(), match["name"])
        if closing is not None:
            inner, end = text[match.end() : closing.start()], closing.end()
            if match["name"] not in _CODE_SHORTCODES:
                inner = convert_shortcodes(inner, for_line(match.end()), ctx, report)
        code = Shortcode(match["name"], match["delim"], *_arguments(match["args"]), inner)
        converted = _convert(code, ctx)
        if converted is None:
            report.add(ctx.shown, line, REPORTED, f"shortcode {match['name']!r} is not "
                       "converted; left in place: rewrite it by hand")  # fmt: skip
            out.append(text[match.start() : end])
        else:
            out.append(converted[0])
            report.add(ctx.shown, line, CONVERTED, f"shortcode {match['name']!r}: {converted[1]}")
        pos = end
    out.append(text[pos:])
    return "".join(out)


class _LineCounter:
    """Line numbers of offsets in one text, counted incrementally."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.first_line = text, first_line

    def __call__(self, offset: int) -> int:
        return self.first_line + self.text.count("\n", 0, offset)


def _closing_tag(text: str, start: int, name: str) -> re.Match[str] | None:
    """The tag closing `name` opened just before `start`, nesting counted; None if none."""
    depth = 0
    for match in _TAG.finditer(text, start):
        if match["name"] != name or match["comment"] or match["self"]:
            continue
        if not match["close"]:
            depth += 1
        elif depth == 0:
            return match
        else:
            depth -= 1
    return None


def _arguments(text: str) -> tuple[tuple[str, ...], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    for name, raw in _ARG.findall(text):
        value = raw
        if raw.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", raw[1:-1])
        elif raw.startswith("`"):
            value = raw[1:-1]
        if name:
            named[name] = value
        else:
            positional.append(value)
    return tuple(positional), named


def _convert(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    """(the replacement, what it became) or None when it cannot be converted."""
    builtin = _BUILTINS.get(code.name)
    # A site's own template wins over Hugo's built-in of that name, as in Hugo; `code` is
    # always a fenced block (its inner text would be raw HTML in an HTML block otherwise).
    if code.name in ctx.templates and code.name != "code":
        expanded = expand_template(ctx.templates[code.name], code)
        if expanded is not None:
            return expanded, f"expanded from layouts/shortcodes/{code.name}.html"
        if code.name != "image":  # the site's own version, which we cannot follow
            return None
    return builtin(code, ctx) if builtin is not None else None


def _ref(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    target = code.get(0, "path")
    path, _, anchor = target.partition("#")
    url = ctx.resolve(path) if path else ""
    if url is None:
        return None
    return url + (f"#{anchor}" if anchor else ""), f"link to {url or '#' + anchor}"


def _figure(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str]:
    attr = html.escape
    classes = f' class="{attr(code.get("class"))}"' if code.get("class") else ""
    image = f'<img src="{attr(code.get("src", 0))}"'
    image += "".join(f' {key}="{attr(code.get(key))}"' for key in ("alt", "width", "height")
                     if code.get(key))  # fmt: skip
    image += ' loading="lazy">'
    link = code.get("link")
    if link:
        target = f' target="{attr(code.get("target"))}"' if code.get("target") else ""
        rel = f' rel="{attr(code.get("rel"))}"' if code.get("rel") else ""
        image = f'<a href="{attr(link)}"{target}{rel}>{image}</a>'
    caption = ""
    title, text = code.get("title"), code.get("caption")
    if title or text:
        heading = f"<h4>{attr(title)}</h4>" if title else ""
        caption = f"<figcaption>{heading}{f'<p>{text}</p>' if text else ''}</figcaption>"
    return f"<figure{classes}>{image}{caption}</figure>", "an HTML figure"


def fence(code: str, language: str) -> str:
    """A fenced code block holding `code` exactly, its fence longer than any inside."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    marks = "`" * (longest + 1)
    return f"{marks}{language}\n{code.strip(chr(10))}\n{marks}"


def _highlight(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    if code.inner is None:
        return None
    language = code.get(0, "lang")
    options = code.get(1)
    dropped = f" (options {options!r} dropped)" if options else ""
    return fence(code.inner, language), f"a fenced code block{dropped}"


def _code(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    if code.inner is None:
        return None
    language = code.get("lang", "language", "type", 0)
    return fence(code.inner, language), "a fenced code block"


def _image(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    source = code.get("src", 0)
    if not source:
        return None
    alt = code.get("alt", 1).replace("]", "\\]")
    title = code.get("title", "caption")
    shown = f' "{title}"' if title and '"' not in title else ""
    return f"![{alt}](<{source}>{shown})", "a Markdown image"


def _youtube(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    video = code.get("id", 0)
    if not re.fullmatch(r"[\w-]+", video):
        return None
    title = html.escape(code.get("title") or "YouTube video")
    return (
        f'<div class="video"><iframe src="https://www.youtube-nocookie.com/embed/{video}" '
        f'title="{title}" loading="lazy" allow="encrypted-media; picture-in-picture; '
        'fullscreen" allowfullscreen></iframe></div>',
        "an iframe from youtube-nocookie.com",
    )


def _vimeo(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    video = code.get("id", 0)
    if not video.isdigit():
        return None
    return (
        f'<div class="video"><iframe src="https://player.vimeo.com/video/{video}?dnt=1" '
        'title="Vimeo video" loading="lazy" allowfullscreen></iframe></div>',
        "an iframe from player.vimeo.com (do not track)",
    )


def _post(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    # The embed script would send every reader to X; a quote with the link needs nothing.
    user, post = code.get("user"), code.get("id", 0)
    if not post.isdigit():
        return None
    host = "x.com" if code.name == "x" else "twitter.com"
    url = f"https://{host}/{html.escape(user) if user else 'i'}/status/{post}"
    return (f'<blockquote class="twitter-tweet"><p><a href="{url}">{url}</a></p></blockquote>',
            "a quote linking the post (no embed script)")  # fmt: skip


def _gist(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    user, gist = code.get(0), code.get(1)
    if not (re.fullmatch(r"[\w-]+", user) and re.fullmatch(r"\w+", gist)):
        return None
    file = f"?file={html.escape(code.get(2))}" if code.get(2) else ""
    return f'<script src="https://gist.github.com/{user}/{gist}.js{file}"></script>', "a script"


def _param(code: Shortcode, ctx: ShortcodeContext) -> tuple[str, str] | None:
    value: Any = ctx.params
    for key in code.get(0, "name").lower().split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    if value is None or isinstance(value, Mapping | list):
        return None
    return str(value), "its value"


_BUILTINS: dict[str, Callable[[Shortcode, ShortcodeContext], tuple[str, str] | None]] = {
    "ref": _ref, "relref": _ref, "figure": _figure, "highlight": _highlight, "code": _code,
    "image": _image, "youtube": _youtube, "vimeo": _vimeo, "tweet": _post, "x": _post,
    "gist": _gist, "param": _param,
}  # fmt: skip

# A template action: `{{ .Get "k" }}`, `{{- .Inner -}}`, with an optional harmless pipe.
_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.DOTALL)
_SIMPLE_ACTION = re.compile(
    r"""(?:\.Get\s+(?:"(?P<key>[^"]+)"|`(?P<raw>[^`]+)`|(?P<pos>\d+))|(?P<inner>\.Inner))
        (?:\s*\|\s*(?P<pipe>safeHTML|markdownify|htmlEscape|safeURL|safeHTMLAttr))?""",
    re.VERBOSE,
)


def expand_template(template: str, code: Shortcode) -> str | None:
    """A site shortcode's template filled in, when it only reads `.Get "k"`, `.Get 0` and
    `.Inner`; None for any other template (conditions, loops, functions)."""
    template = re.sub(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", "", template, flags=re.DOTALL)
    pieces: list[str] = []
    pos = 0
    for action in _ACTION.finditer(template):
        simple = _SIMPLE_ACTION.fullmatch(action[2])
        if simple is None:
            return None
        before = template[pos : action.start()]
        pieces.append(before.rstrip() if action[1] else before)
        pieces.append(_action_value(simple, code))
        pos = action.end()
        if action[3]:
            rest = template[pos:]
            pos += len(rest) - len(rest.lstrip())
    pieces.append(template[pos:])
    return "".join(pieces).strip("\n")


def _action_value(simple: re.Match[str], code: Shortcode) -> str:
    if simple["inner"]:
        return code.inner or ""
    key: str | int = int(simple["pos"]) if simple["pos"] else simple["key"] or simple["raw"]
    value = code.get(key)
    # Hugo's templates escape what they print, unless told the value is safe.
    return value if simple["pipe"] in ("safeHTML", "markdownify") else html.escape(value)
