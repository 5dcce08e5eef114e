"""'Did you mean' hints shared by every check that rejects a name."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def suggest(value: str, options: Iterable[str], *, show: int = 12) -> str:
    options = sorted(set(options))
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    shown = ", ".join(options[:show]) + (", ..." if len(options) > show else "")
    return (f"did you mean {close[0]!r}? " if close else "") + f"known: {shown or 'none declared'}"
