"""`ssg import jekyll|hugo`: another generator's site read into a new ssg site, keeping
every old URL."""

GENERATORS = ("jekyll", "hugo")  # `ssg import GENERATOR`
