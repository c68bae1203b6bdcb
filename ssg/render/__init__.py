"""Pages to bytes: the Jinja environment and layouts, feeds and the sitemap."""
