"""`ssg check`: a site's content, layouts and built links checked, without writing anything."""
