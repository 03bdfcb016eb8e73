"""A progress bar for long work, on a terminal only (piped output stays clean)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

LONG = 1000  # items: below this, work is quick enough to need no bar


@contextlib.contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr while ``total`` items are worked through, when stderr is a
    terminal and the work is long; None (no bar, nothing imported) otherwise. Call the
    function it gives with the number of items done."""
    if total < LONG or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.update(task, completed=done)
