"""The pure-Python core: content, timing, schedule and stores.

Nothing under this package may import Qt; a unit test enforces it. Keeping the
rules here lets them be tested without a display and reused by the CLI.
"""
