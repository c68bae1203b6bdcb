"""The browser side of live reload: what the preview server adds to every HTML page.

A script that long-polls RELOAD_PATH and reloads the page (or swaps its stylesheets) when
the build epoch moves on, and after a failed build an overlay listing the errors (Zola's
error injection).
"""

from __future__ import annotations

import html

RELOAD_PATH = "/__ssg/livereload"


def inject(page: bytes, epoch: int, errors: tuple[str, ...]) -> bytes:
    """`page` with the reload script (and error overlay) inserted before its last </body>."""
    snippet = (error_overlay(errors) + reload_script(epoch)).encode()
    at = page.lower().rfind(b"</body>")
    if at == -1:
        return page + snippet
    return page[:at] + snippet + page[at:]


def reload_script(epoch: int) -> str:
    return _RELOAD_JS.replace("__EPOCH__", str(epoch)).replace("__PATH__", RELOAD_PATH)


def error_overlay(errors: tuple[str, ...]) -> str:
    if not errors:
        return ""
    items = "\n".join(html.escape(e) for e in errors)
    return _OVERLAY_HTML.replace("__ERRORS__", items)


# Inline styles, each set explicitly: the site's own CSS (a light `pre` background, say)
# must not make the errors unreadable.
_OVERLAY_HTML = """<div id="ssg-error-overlay" role="alert" style="position:fixed;inset:0;\
z-index:2147483647;overflow:auto;padding:2em;background:rgba(24,0,0,.94);color:#fee;\
font:14px/1.6 ui-monospace,monospace"><h2 style="color:#f88;margin-top:0">Build failed \
&mdash; showing the last good site</h2><pre style="white-space:pre-wrap;margin:1em 0;\
padding:1em;background:#2a0808;color:#fee;border:1px solid #844;font:inherit">__ERRORS__</pre>\
<p>Fix the file and save; this page reloads by itself.</p></div>"""

# Long-polls the server; on a new epoch it reloads, or for a CSS-only change swaps stylesheets.
_RELOAD_JS = """<script>(function () {
  var epoch = __EPOCH__;
  function swapCss(next) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("ssg-reload", next);
      link.href = url.href;
    });
  }
  function poll() {
    fetch("__PATH__?epoch=" + epoch, {cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (m) {
        if (m.epoch !== epoch && m.action !== "css") { location.reload(); return; }
        if (m.epoch !== epoch) swapCss(m.epoch);
        epoch = m.epoch;
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();</script>"""
