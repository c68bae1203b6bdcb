"""`python -m ssg` and the `ssg` command."""

import sys


def main() -> None:
    try:
        from ssg.cli import run
    except KeyboardInterrupt:  # Ctrl-C while still starting up: no traceback either
        sys.exit(130)
    run()


# The guard matters: process pools started with "forkserver" or "spawn" import this module.
if __name__ == "__main__":
    main()
