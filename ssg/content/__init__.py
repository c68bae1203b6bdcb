"""Sources to posts: reading files, front matter, dates, slugs and URLs, excerpts, the Post."""
