"""The markdown-it-py versions that ssg's copies of its internal loops were copied from.

`rule_dispatch.py` (the block and inline tokenize loops, the inline parse), `cjk.py` (the
inline parse) and `pair_rules.py` (the emphasis, balance_pairs, fragments_join and text_join
rules, the inline state's push, Token construction) replace methods and rules of
markdown-it-py's parser objects with copies of its own code, edited for speed or for
another state class. A copy is right only for the code it was
copied from, and the `<5` bound in pyproject.toml cannot promise that: any release may
change a loop or what a rule checks first. So the copies run only on the versions listed
here; on any other, ssg uses markdown-it-py's own loops (slower, same output) and the build
says so once, among its warnings.
"""

from __future__ import annotations

import markdown_it

# Versions whose ParserInline.tokenize/parse, ParserBlock.tokenize, `terminator_re`, the
# rules pair_rules.py copies and Token's fields were read against the copies, line by
# line. Add a version only after doing the same (and running tests/test_markdown_pinned.py,
# which compares both paths' HTML on it, and tests/test_markdown_pair_rules.py).
COPIED_FROM = ("4.3.0",)


def installed_version() -> str:
    # Read when asked, not at import, so a test can stand in another version.
    return str(markdown_it.__version__)


def copied_loops_fit(version: str | None = None) -> bool:
    """Whether ssg's copies of markdown-it-py's loops match `version` (default: installed)."""
    return (version or installed_version()) in COPIED_FROM


def pinned_warnings(version: str | None = None) -> list[str]:
    """The build's warning when the copies do not fit the installed markdown-it-py."""
    version = version or installed_version()
    if copied_loops_fit(version):
        return []
    return [
        f"markdown-it-py {version} is not a version ssg's fast parsing loops were copied "
        f"from ({', '.join(COPIED_FROM)}); parsing uses markdown-it-py's own loops (same "
        "output, slower). Install markdown-it-py==" + COPIED_FROM[-1] + " for full speed."
    ]
