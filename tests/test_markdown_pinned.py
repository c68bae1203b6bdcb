"""ssg's copies of markdown-it-py's loops run only on the versions they were copied from;
on any other, markdown-it-py's own loops give the same HTML, and the build says so once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

import markdown_it
import pytest
from conftest import REPO, SEEDS, build_site, post
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.utils import read_fixture_file

from ssg.content.frontmatter import split_front_matter
from ssg.markdown.parser import make_markdown, render_markdown
from ssg.markdown.pinned import COPIED_FROM
from ssg.markdown.rule_dispatch import BlockDispatch


def body(path: Path) -> str:
    return split_front_matter(PurePosixPath(path.name), path.read_text(encoding="utf-8")).body


def markdown_inputs() -> dict[str, str]:
    """Real posts (the example site's, a seed post) and every spec example in the fixtures."""
    inputs = {str(p.relative_to(REPO)): body(p) for p in sorted(REPO.glob("content/**/*.md"))}
    inputs |= {seed.name: body(seed) for seed in sorted(SEEDS.glob("002_*.txt"))}
    for fixture in sorted((REPO / "tests" / "fixtures").glob("*.md")):
        for line, title, source, _ in read_fixture_file(fixture):
            inputs[f"{fixture.name}:{line} {title}"] = source
    return inputs


def test_the_inputs_cover_posts_seeds_and_fixtures() -> None:
    names = list(markdown_inputs())
    assert sum(name.startswith("content/posts/") for name in names) >= 10
    if SEEDS.is_dir():  # shared/ sits beside the repository in CI and on developer machines
        assert any(name.startswith("002_") for name in names)
    assert sum(".md:" in name for name in names) >= 50


@pytest.mark.parametrize(
    "options",
    [{}, {"base_path": "/blog/"}, {"raw_html": False}, {"cjk": False}],
    ids=["default", "base_path", "no_html", "no_cjk"],
)
def test_markdown_its_own_loops_render_what_the_copies_render(options: dict) -> None:
    copies = make_markdown(copied_loops=True, **options)
    own = make_markdown(copied_loops=False, **options)
    for name, text in markdown_inputs().items():
        assert render_markdown(own, text) == render_markdown(copies, text), name


def uses_own_loops(md: markdown_it.MarkdownIt) -> bool:
    block, inline = md.block.tokenize, md.inline.parse
    return (
        getattr(block, "__func__", None) is ParserBlock.tokenize
        and getattr(inline, "__func__", None) is ParserInline.parse
    )


def test_the_installed_markdown_it_is_one_the_copies_were_taken_from() -> None:
    # Fails on an upgrade: read the new version's loops against the copies, then add it.
    assert markdown_it.__version__ in COPIED_FROM
    md = make_markdown()
    assert isinstance(md.block.tokenize, BlockDispatch)
    assert not uses_own_loops(md)


def test_an_unknown_markdown_it_version_gets_its_own_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(markdown_it, "__version__", "4.4.0")
    assert uses_own_loops(make_markdown())
    assert uses_own_loops(make_markdown(cjk=False, raw_html=False, base_path="/blog/"))


def test_an_unknown_markdown_it_version_is_one_build_warning(
    monkeypatch: pytest.MonkeyPatch, make_site: Callable[..., Path]
) -> None:
    monkeypatch.setattr(markdown_it, "__version__", "4.4.0")
    site = make_site({f"content/posts/2025-11-0{n}-p{n}.md": post(f"記事{n}") for n in (1, 2, 3)})
    about = [w for w in build_site(site).warnings if "markdown-it-py" in w]
    assert len(about) == 1
    assert "4.4.0" in about[0] and "same output" in about[0]


def test_a_known_markdown_it_version_builds_without_that_warning(
    make_site: Callable[..., Path],
) -> None:
    site = make_site({"content/posts/2025-11-01-p.md": post()})
    assert not [w for w in build_site(site).warnings if "markdown-it-py" in w]
