"""Heading ids in a real browser (headless Chromium): every id is also a global variable
there, so a heading must not change what the page's scripts find on `window`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import build_site, launch_chromium, post
from playwright.sync_api import sync_playwright
from test_typography_browser import serve_folder  # http: a page's cookie needs it

# Names of window's, document's and Object.prototype's own properties, and the variables
# scripts test for to tell a browser from Node, CommonJS or AMD.
HEADINGS = [
    "addEventListener", "removeEventListener", "dispatchEvent", "toString", "valueOf",
    "hasOwnProperty", "isPrototypeOf", "constructor", "`__proto__`", "location", "cookie",
    "name", "top", "self", "window", "document", "history", "length", "parent", "frames",
    "opener", "status", "navigator", "body", "head", "title", "forms", "images", "exports",
    "module", "require", "define", "global", "process",
]  # fmt: skip

# What the page's own script sees after the headings, as a library at the end of <body> would.
PAGE_SCRIPT = """<script>
var seen = {};
seen.addEventListener = window.addEventListener === EventTarget.prototype.addEventListener;
seen.dispatchEvent = window.dispatchEvent === EventTarget.prototype.dispatchEvent;
seen.objectMethods = ["toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "constructor"]
  .every(function (m) { return typeof window[m] === "function"; });
seen.proto = Object.getPrototypeOf(window) === window.__proto__;
seen.cookie = typeof document.cookie === "string";
seen.location = location.href.indexOf("http://127.0.0.1:") === 0;
seen.windowSelf = window.top === window && window.self === window && window.window === window;
seen.document = document.nodeType === 9 && document.body.tagName === "BODY";
seen.history = typeof history.pushState === "function";
seen.moduleGlobals = ["exports", "module", "require", "define", "global", "process"]
  .every(function (g) { return eval("typeof " + g) === "undefined"; });
(function (root, factory) {  // webpack's UMD wrapper
  if (typeof exports === "object" && typeof module === "object") module.exports = factory();
  else if (typeof define === "function" && define.amd) define([], factory);
  else if (typeof exports === "object") exports["ChartLib"] = factory();
  else root["ChartLib"] = factory();
})(self, function () { return {}; });
seen.umdLibrary = typeof window.ChartLib === "object";
try {
  seen.nodeEnv = (typeof process !== "undefined" && process.env.NODE_ENV) || "browser";
} catch (e) {
  seen.nodeEnv = String(e);
}
</script>"""

EVERYTHING_INTACT = {
    "addEventListener": True,
    "dispatchEvent": True,
    "objectMethods": True,
    "proto": True,
    "cookie": True,
    "location": True,
    "windowSelf": True,
    "document": True,
    "history": True,
    "moduleGlobals": True,
    "umdLibrary": True,
    "nodeEnv": "browser",
}


def test_headings_named_after_browser_globals_leave_window_and_document_intact(
    make_site: Callable[..., Path],
) -> None:
    body = "".join(f"## {name}\n\n本文。\n\n" for name in HEADINGS) + PAGE_SCRIPT + "\n"
    site = make_site({"content/posts/a.md": post(body=body)})
    build_site(site)
    with sync_playwright() as playwright, serve_folder(site / "output") as url:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(url + "2025/11/20/a/")
            assert page.locator("h2[id]").count() == len(HEADINGS)
            assert page.evaluate("seen") == EVERYTHING_INTACT
        finally:
            browser.close()
