"""Posts to a site: the site model, taxonomies, and the plan of every page to write."""
