"""Presentation: terminal (Rich), plain text, Markdown, HTML and JSON views of domain results.

One axis, the shape ``present/digest.py`` has: **a view model per feature, a renderer per
format.** A feature's module builds its view model from the domain's result (the digest's
``outline``: blocks of rows, already in the language of the run), and each format is one
function of that model (``to_text``, ``to_markdown``, ``to_html``; JSON from the domain result
itself, in ``json_views``, never translated). A new output format gets an obvious home: one
renderer per view model, beside the others; a new feature gets one view model and reuses the
renderers.

Words live here and in the message catalogues (``hrtrust.locale``): the domain returns dates,
numbers, plain data (the plan's reasons and hooks, which ``reasons`` words) and a few
``Phrase``s (English values that say themselves in the run's language), and this package
decides how they read. ``output.render`` is the one place a command's result is written
as text or JSON; ``common`` holds the text pieces every view shares (dates, counts, caps).
Imports domain and models; never Typer or storage.
"""
