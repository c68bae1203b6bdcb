"""The pipeline: parse, plan, render what changed, and commit output/ atomically."""
