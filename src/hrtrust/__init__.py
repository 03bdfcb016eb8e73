"""hrtrust: a command-line planner for the relationship work that builds trust in HR."""

__version__ = "0.1.0"
