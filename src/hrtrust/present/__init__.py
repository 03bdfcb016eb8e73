"""Presentation: terminal (Rich), plain text, Markdown, HTML and JSON views of domain results.

``output.render`` is the one place a command's result is written as text or JSON; ``common``
holds the text pieces every view shares. Imports domain and models; never Typer or storage.
"""
