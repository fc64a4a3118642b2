"""Pure-Python domain logic for hamstring.

Nothing in this package may import textual: the shell companions
(``hamstring status`` and friends) import it and must stay fast.
"""
