from ssg.cli import run

# The guard matters: process pools started with "forkserver" or "spawn" import this module.
if __name__ == "__main__":
    run()
