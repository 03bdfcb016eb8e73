"""``python -m hrtrust``."""

from hrtrust.cli.app import main

main()
