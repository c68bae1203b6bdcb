"""Markdown to HTML: the markdown-it-py set-up and ssg's plugins (CJK, callouts, fences)."""
