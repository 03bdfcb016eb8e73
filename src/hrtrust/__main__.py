"""``python -m hrtrust``."""

from hrtrust.cli.app import run

run()
