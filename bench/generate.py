"""Generate a synthetic Japanese investment-analysis blog for benchmarking.

    python bench/generate.py N OUT_DIR [--seed S] [--no-charts] [--long-form]

Writes OUT_DIR/config.yaml, OUT_DIR/data/tickers.yaml and N posts under
OUT_DIR/content/posts/, shaped like the real posts in shared/seeds (Jekyll-style front
matter, Japanese prose with tables, lists, quotes and code), most about a few tickers;
every tenth post has a ```chart block, half of those over a file under OUT_DIR/data/.
Each post draws from its own RNG seeded with (seed, index), so the first 1,000 posts of a
10,000-post corpus are the same files as a 1,000-post corpus with the same seed.

`--long-form` writes posts shaped like the real blog behind the seed post instead: 20–80 KB
of long Japanese paragraphs each (about 47 KB on average, as its 1,118 posts are), a heading
every few paragraphs, a table in one post of three, no code or charts, and many
`**「…」**` bolds next to Japanese punctuation, the construct CommonMark leaves unrendered.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

CONFIG_YAML = 'title: ベンチマーク\nbase_url: "https://example.com/"\npaginate: 10\n'

CATEGORIES = ["投資分析", "業界分析", "半導体", "決算速報", "マクロ経済", "為替", "暗号資産", "ESG"]

# fmt: off
# (word lists stay packed: one item per line would make this file 300 lines of data)

# Ordered by intended popularity: the Zipf-like weights below make the first
# tags appear on thousands of posts, so their term pages paginate deeply.
TAGS = [
    "AI", "投資", "半導体", "NVIDIA", "最新ニュース", "技術動向", "金利", "決算", "米国株",
    "日本株", "OpenAI", "クラウド", "AWS", "Microsoft", "Google", "Apple", "TSMC", "データセンター",
    "GPU", "円安", "ドル円", "FRB", "日銀", "インフレ", "ビットコイン", "イーサリアム", "ETF",
    "配当", "高配当", "バリュー株", "グロース株", "S&P500", "NASDAQ", "日経平均", "TOPIX",
    "EV", "Tesla", "再生可能エネルギー", "脱炭素", "ESG投資", "サプライチェーン", "チップ",
    "エージェント", "LLM", "生成AI", "SaaS", "サイバーセキュリティ", "M&A", "IPO", "新興国",
    "中国", "インド", "原油", "金", "債券", "REIT", "ソフトバンク", "トヨタ", "キーエンス",
    "ASML", "AMD", "Intel",
]
TAG_WEIGHTS = [1.0 / (rank + 1) ** 0.9 for rank in range(len(TAGS))]

AUTHORS = ["ALLFORCES編集部", "山田 太郎", "佐藤 花子", "鈴木 一郎", "Market Desk"]

COMPANIES = [
    ("NVDA", "NVIDIA"), ("AMD", "AMD"), ("INTC", "Intel"), ("TSM", "TSMC"), ("ASML", "ASML"),
    ("MSFT", "Microsoft"), ("GOOGL", "Alphabet"), ("AMZN", "Amazon"), ("AAPL", "Apple"),
    ("META", "Meta"), ("TSLA", "Tesla"), ("7203", "トヨタ自動車"), ("6861", "キーエンス"),
    ("9984", "ソフトバンクG"), ("8035", "東京エレクトロン"), ("6857", "アドバンテスト"),
    ("6758", "ソニーG"), ("8306", "三菱UFJ"), ("4063", "信越化学"), ("6920", "レーザーテック"),
]

TOPICS = [
    "生成AI", "データセンター投資", "半導体サイクル", "金利政策", "円安", "クラウド事業",
    "EV市場", "再生可能エネルギー", "暗号資産規制", "サプライチェーン", "設備投資", "株主還元",
    "AIエージェント", "GPU供給", "個人消費", "インフレ", "地政学リスク", "ESG開示",
]

TITLE_TEMPLATES = [
    "{co}の{topic}戦略、その真意とは何か？",
    "{co}決算速報：{topic}は市場予想を上回るか",
    "{topic}が変える投資の常識、{co}に注目すべき理由",
    "【徹底分析】{co}と{topic}、今後3年の見通し",
    "{topic}の転換点？{co}の最新動向を読み解く",
    "なぜ今{topic}なのか――{co}から見える次の波",
]

ASCII_SLUG_WORDS = [
    "ai", "nvidia", "earnings", "semiconductor", "rates", "yen", "cloud", "outlook", "analysis",
    "q3", "q4", "guidance", "capex", "datacenter", "bitcoin", "esg", "macro", "fx", "deal", "gpu",
]
JA_SLUG_WORDS = ["半導体", "決算", "分析", "金利", "円安", "見通し", "生成AI", "投資戦略"]

SENTENCES = [
    "正直なところ、{co}の発表を初めて聞いた時、「また始まったか」と思ってしまいました。",
    "{topic}をめぐる競争は、ここ数年で明らかに次の段階に入っています。",
    "あなたも感じているかもしれませんが、{n}億ドル規模の投資はもはや日常風景になりつつありますよね。",
    "でもね、ちょっと待ってください。これは単なる数字の羅列ではありません。",
    "私が{y}年間この業界を見てきた中で、こんなにも急速に状況が変わった時代はありませんでした。",
    "{co}の売上高は前年比{p}%増と、市場予想を大きく上回りました。",
    "投資家の皆さんは、{topic}の裏側でどれだけの資金が動いているかに注目すべきです。",
    "一方で、バリュエーションはすでに高い水準にあり、慎重な見方も根強く残っています。",
    "特に{co}にとって、{topic}は酸素と同じくらい不可欠なものになっています。",
    "これは、特定のベンダーに依存せず、あらゆる手段を講じて競争力を確保するという戦略の一環と言えるでしょう。",
    "{yr}年末までに計画を完了し、さらにその先の拡張余地も残しているのは注目に値します。",
    "市場は**「{topic}」**という言葉に過敏に反応しているように見えます。",
    "結論から言えば、**「{co}の優位性」**は当面揺らがないと考えています。",
    "短期的な株価の変動に惑わされず、長期的な視点を持つことが重要です。",
    "詳しくは[{co}のIR資料](https://example.com/ir/{t})をご覧ください。",
    "PER（株価収益率）は{p}倍前後で推移しており、過去平均と比べるとやや割高です。",
    "為替が1ドル={n}円の水準で推移すれば、輸出企業の利益は押し上げられるでしょう。",
    "The market is pricing in roughly {p}% growth for {co} next year.",
    "こうした動きは、{topic}の需要が一過性ではないことを示唆しています。",
    "では、この動きは私たち投資家や技術者に何を意味するのでしょうか？",
]

HEADINGS = [
    "{co}の決算ハイライト", "{topic}の現状と課題", "市場の反応", "投資家が注目すべきポイント",
    "リスク要因", "今後の見通し", "歴史的経緯：{topic}の歩み", "競合比較", "まとめ",
    "なぜ今、{co}なのか？", "バリュエーション分析",
]
# fmt: on

LIST_ITEMS = [
    "{co}の売上高成長率（前年比{p}%）",
    "**「{topic}」**関連の設備投資の動向",
    "為替（ドル円）の影響",
    "競合他社との価格競争",
    "規制リスクと地政学リスク",
    "株主還元策（自社株買い・配当）",
    "[{co}の決算説明資料](https://example.com/ir/{t})",
]

QUOTES = [
    "「{topic}は、今後10年の成長を決める鍵だ。単一の技術に依存すれば、自由が失われる」",
    "「{co}の競争優位は、製品そのものよりもエコシステムにある」",
    "「短期的な過熱感はあるが、構造的な需要は本物だ」",
]

CODE_BLOCKS = [
    'import pandas as pd\n\ndf = pd.read_csv("{t}.csv", parse_dates=["date"])\n'
    'df["yoy"] = df["revenue"].pct_change(4) * 100\nprint(df.tail())',
    "def cagr(start: float, end: float, years: int) -> float:\n"
    '    """年平均成長率を計算する"""\n    return (end / start) ** (1 / years) - 1\n\n'
    'print(f"{{cagr(100, {n}, 5):.1%}}")',
    "prices = [{n}, {p}, {y}]\nmoving_avg = sum(prices) / len(prices)\n"
    'print("移動平均:", moving_avg)',
]

START_DATE = datetime(2019, 1, 1, tzinfo=UTC)
DATE_SPAN_SECONDS = 7 * 365 * 24 * 3600
JST = timezone(timedelta(hours=9))

# Body sizes: a 3 KB floor plus a log-normal excess, capped at 50 KB. With
# these parameters the mean file is ~4.8 KB, i.e. ~48 MB for 10,000 posts.
BODY_MIN_BYTES = 3_000
BODY_MAX_BYTES = 50_000
EXCESS_MU = math.log(1_200) - 1.2**2 / 2
EXCESS_SIGMA = 1.2


# The long-form shape: body sizes between 20 and 80 KB around the real blog's ~47 KB mean.
LONG_MIN_BYTES, LONG_MODE_BYTES, LONG_MAX_BYTES = 20_000, 40_000, 80_000
# Bolds as the real posts write them: brackets inside `**`, punctuation right outside.
LONG_BOLDS = [
    "つまり、**「{topic}」**こそが次の主戦場なのです。",
    "ここで押さえておきたいのは**「{co}の設備投資」**、そして**「{topic}」**の二点です。",
    "**『{topic}の時代』**は、もう始まっています。",
    "私は**{co}の{p}%成長**を、決して偶然だとは思いません。",
    "一言でいえば、**「供給が需要に追いつかない」**。これに尽きます。",
]


def make_long_paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(8, 20)):
        source = LONG_BOLDS if rng.random() < 0.18 else SENTENCES
        sentences.append(fill(rng.choice(source), rng))
    return "".join(sentences)


def make_long_body(title: str, rng: random.Random) -> str:
    """About 20–80 KB of long paragraphs under headings; a table in one post of three."""
    target = int(rng.triangular(LONG_MIN_BYTES, LONG_MAX_BYTES, LONG_MODE_BYTES))
    blocks = [title, make_long_paragraph(rng)]
    table_at = rng.randrange(3, 12) if rng.random() < 1 / 3 else -1
    size = sum(len(b.encode()) for b in blocks)
    while size < target:
        if len(blocks) == table_at:
            block = make_table(rng)
        elif rng.random() < 0.15:
            block = "## " + fill(rng.choice(HEADINGS), rng)
        elif rng.random() < 0.05:
            block = make_quote(rng)
        else:
            block = make_long_paragraph(rng)
        blocks.append(block)
        size += len(block.encode()) + 2
    return "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class GeneratedPost:
    """One post's file name and full text (front matter and body)."""

    filename: str
    text: str


def fill(template: str, rng: random.Random) -> str:
    """Substitute random company, topic and number placeholders into a template."""
    ticker, name = rng.choice(COMPANIES)
    return template.format(
        co=name,
        t=ticker,
        topic=rng.choice(TOPICS),
        n=rng.randint(2, 900),
        p=rng.randint(1, 95),
        y=rng.randint(5, 30),
        yr=rng.randint(2026, 2030),
    )


def make_paragraph(rng: random.Random) -> str:
    return "".join(fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(3, 7)))


def make_table(rng: random.Random) -> str:
    rows = ["| ティッカー | 企業名 | 売上高（億円） | 前年比 |", "| --- | --- | ---: | ---: |"]
    for ticker, name in rng.sample(COMPANIES, rng.randint(3, 7)):
        sales = f"{rng.randint(500, 400_000):,}"
        rows.append(f"| {ticker} | {name} | {sales} | {rng.uniform(-30, 80):+.1f}% |")
    return "\n".join(rows)


def make_list(rng: random.Random) -> str:
    marker_numbered = rng.random() < 0.4
    items = [fill(rng.choice(LIST_ITEMS), rng) for _ in range(rng.randint(3, 6))]
    if marker_numbered:
        return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
    return "\n".join(f"- {item}" for item in items)


def make_quote(rng: random.Random) -> str:
    return f"> {fill(rng.choice(QUOTES), rng)}\n> —— 市場アナリスト（匿名）"


def make_code(rng: random.Random) -> str:
    return f"```python\n{fill(rng.choice(CODE_BLOCKS), rng)}\n```"


# Relative frequency of each block kind after the opening paragraphs.
BLOCK_MAKERS = [make_paragraph] * 6 + [make_table, make_list, make_list, make_quote, make_code]


def make_body(title: str, target_bytes: int, rng: random.Random) -> str:
    """Build a body of about target_bytes (UTF-8) from headed sections of mixed blocks."""
    blocks = [title, make_paragraph(rng), make_paragraph(rng)]
    size = sum(len(b.encode()) for b in blocks)
    while size < target_bytes:
        if rng.random() < 0.2:
            block = "## " + fill(rng.choice(HEADINGS), rng)
        else:
            block = rng.choice(BLOCK_MAKERS)(rng)
        blocks.append(block)
        size += len(block.encode()) + 2
    return "\n\n".join(blocks) + "\n"


def pick_body_size(rng: random.Random) -> int:
    excess = rng.lognormvariate(EXCESS_MU, EXCESS_SIGMA)
    return min(BODY_MAX_BYTES, BODY_MIN_BYTES + int(excess))


def pick_tags(rng: random.Random) -> list[str]:
    count = rng.randint(3, 8)
    chosen: list[str] = []
    while len(chosen) < count:
        tag = rng.choices(TAGS, TAG_WEIGHTS)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen


def format_date(moment: datetime, rng: random.Random) -> tuple[str, str]:
    """Return (front-matter date, YYYY-MM-DD for the file name) in one of three styles."""
    roll = rng.random()
    if roll < 0.7:
        return moment.strftime("%Y-%m-%d %H:%M:%S +0000"), moment.strftime("%Y-%m-%d")
    if roll < 0.9:
        local = moment.astimezone(JST)
        return local.strftime("%Y-%m-%d %H:%M:%S +0900"), local.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d"), moment.strftime("%Y-%m-%d")


def make_slug(index: int, rng: random.Random) -> str:
    # The index suffix keeps slugs unique so the corpus has no URL collisions.
    if rng.random() < 0.2:
        return "-".join(rng.sample(JA_SLUG_WORDS, 2)) + f"-{index}"
    return "-".join(rng.sample(ASCII_SLUG_WORDS, 3)) + f"-{index}"


def format_tags(tags: list[str], rng: random.Random) -> str:
    # Some real posts use Jekyll's space-separated string form instead of a list.
    if rng.random() < 0.15:
        return "tags: " + " ".join(tags)
    return "tags: [" + ", ".join(f'"{t}"' for t in tags) + "]"


def symbol(ticker: str) -> str:
    """A company's ticker as an analyst writes it: Tokyo's codes with `.T` (7203.T)."""
    return f"{ticker}.T" if ticker.isdigit() else ticker


def tickers_yaml() -> str:
    return "".join(f"{symbol(t)}: {{name: {name}}}\n" for t, name in COMPANIES)


def pick_tickers(index: int, seed: int) -> tuple[str | None, str]:
    """The `tickers:` line of a post (None for one in four) and a closing line naming one
    as `$SYMBOL` (for a third of those), from an RNG of their own: the rest of the post is
    what it was before posts had tickers."""
    rng = random.Random(f"{seed}-{index}-tickers")
    if rng.random() < 0.25:
        return None, ""
    chosen = [symbol(t) for t, _name in rng.sample(COMPANIES, rng.randint(1, 3))]
    mention = f"\n注目銘柄は ${chosen[0]} です。\n" if rng.random() < 0.33 else ""
    return f"tickers: [{', '.join(chosen)}]", mention


# Every CHART_EVERY-th post carries a ```chart block (the "a tenth of posts"); half
# of those draw one of DATA_FILES files under data/, the rest hold their data inline.
CHART_EVERY = 10
DATA_FILES = 20
CHART_KINDS = ["line", "line", "bar", "stacked-bar", "area"]


def make_series_csv(rng: random.Random, months: int) -> str:
    """Monthly values of two series (a price and a growth rate that goes negative)."""
    start = rng.randint(2015, 2022)
    price, rows = rng.uniform(50, 50_000), ["月,株価,前年比"]
    for m in range(months):
        price *= math.exp(rng.gauss(0.005, 0.06))
        rows.append(f"{start + m // 12}-{m % 12 + 1:02d},{price:.1f},{rng.uniform(-20, 40):.1f}")
    return "\n".join(rows) + "\n"


def make_chart(index: int, seed: int) -> str:
    # Its own RNG: the post around it is the same file with or without charts.
    rng = random.Random(f"{seed}-{index}-chart")
    kind = rng.choice(CHART_KINDS)
    ticker, name = rng.choice(COMPANIES)
    lines = ["```chart", f"type: {kind}", f"title: {name}（{ticker}）の推移", "x_label: 月"]
    if kind in ("bar", "stacked-bar"):
        lines += ["unit: 億円", "data: |", "  年度,国内,海外"]
        lines += [
            f"  {2019 + y},{rng.randint(100, 9000)},{rng.randint(100, 9000)}" for y in range(6)
        ]
    elif rng.random() < 0.5:
        lines += ["y: [株価]", "unit: 円", f"data: bench-{rng.randrange(DATA_FILES):02d}"]
    else:
        csv_text = make_series_csv(rng, rng.randint(12, 36))
        lines += ["data: |", *(f"  {row}" for row in csv_text.splitlines())]
    return "\n".join([*lines, "```"])


def write_data_files(out_dir: Path, seed: int) -> None:
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for number in range(DATA_FILES):
        rng = random.Random(f"{seed}-data-{number}")
        (data_dir / f"bench-{number:02d}.csv").write_text(make_series_csv(rng, 60), "utf-8")


def make_post(index: int, seed: int, charts: bool = True, long_form: bool = False
              ) -> GeneratedPost:  # fmt: skip
    rng = random.Random(f"{seed}-{index}")
    moment = START_DATE + timedelta(seconds=rng.randrange(DATE_SPAN_SECONDS))
    date_text, file_date = format_date(moment, rng)
    title = fill(rng.choice(TITLE_TEMPLATES), rng)
    body = make_long_body(title, rng) if long_form else make_body(title, pick_body_size(rng), rng)
    if charts and not long_form and index % CHART_EVERY == CHART_EVERY // 2:
        head, _, rest = body.partition("\n\n")
        body = f"{head}\n\n{make_chart(index, seed)}\n\n{rest}"
    lines = [
        "---",
        "layout: post",
        f'title: "{title}"',
        f"date: {date_text}",
        f'categories: ["{rng.choice(CATEGORIES)}"]',
        format_tags(pick_tags(rng), rng),
        f'author: "{rng.choice(AUTHORS)}"',
        f'excerpt: "{fill(rng.choice(SENTENCES), rng).replace(chr(34), "")}"',
    ]
    if rng.random() < 0.5:
        lines.append(f"reading_time: {max(1, len(body) // 600)}")
    tickers, mention = pick_tickers(index, seed)
    if tickers:
        lines.append(tickers)
    lines.append("---")
    text = "\n".join(lines) + "\n\n" + body + mention
    return GeneratedPost(f"{file_date}-{make_slug(index, rng)}.md", text)


def write_site(count: int, out_dir: Path, seed: int, charts: bool = True,
               long_form: bool = False) -> int:  # fmt: skip
    """Write config.yaml, data/ and `count` posts (a tenth with a chart unless `charts` is
    False; `long_form`: the real blog's shape, see above); return the total bytes of the
    posts."""
    posts_dir = out_dir / "content" / "posts"
    posts_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.yaml").write_text(CONFIG_YAML, encoding="utf-8")
    if charts:
        write_data_files(out_dir, seed)
    (out_dir / "data").mkdir(exist_ok=True)
    (out_dir / "data" / "tickers.yaml").write_text(tickers_yaml(), encoding="utf-8")
    total = 0
    for index in range(count):
        post = make_post(index, seed, charts, long_form)
        data = post.text.encode("utf-8")
        (posts_dir / post.filename).write_bytes(data)
        total += len(data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of posts")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-charts", action="store_true", help="no ```chart blocks")
    parser.add_argument("--long-form", action="store_true", help="the real blog's shape")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    total = write_site(args.count, args.out_dir, args.seed, charts=not args.no_charts,
                       long_form=args.long_form)  # fmt: skip
    elapsed = time.perf_counter() - started
    print(f"wrote {args.count} posts, {total / 1e6:.1f} MB, to {args.out_dir} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
