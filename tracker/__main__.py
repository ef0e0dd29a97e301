"""`python -m tracker` runs the command line."""

from tracker.cli import cli

if __name__ == "__main__":
    cli()
