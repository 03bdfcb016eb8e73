"""Storage: the only package that opens data files.

``paths`` (where things are), ``toml_format`` (stable TOML out, file:line:col errors in),
``atomic`` (temp file, fsync, replace), ``store`` (Store, Transaction, lock, journal),
``cache`` and ``touches`` (derived data, rebuilt at will), ``home`` (init and the demo),
``doctor`` (checks and repairs). Imports models and errors only: no Rich, no Typer, no domain.
"""
