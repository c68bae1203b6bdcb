"""`ssg serve`: the preview server, live reload, and the watcher that triggers rebuilds."""
