"""Words Mutual never uses about a member: it reflects, it does not diagnose.

A disclaimer may name what Mutual is not ("this is not a diagnosis"), so a sentence that negates
the word is allowed; anywhere else the word is a problem for `check-content`.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r"diagnos\w*|disorder\w*|symptom\w*|you are codependent", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"\b(not|never|no|nor|isn't|is not)\b[^.!?\n]{0,40}?\bdiagnos\w*", re.IGNORECASE
)


def diagnostic_words(text: str) -> list[str]:
    """The diagnostic words in `text` that are not part of a disclaimer, in order."""
    allowed = {match.end() for match in _DISCLAIMER.finditer(text)}
    return [m.group(0) for m in _FORBIDDEN.finditer(text) if m.end() not in allowed]
