"""Words Mutual never uses about a member: it reflects, it does not diagnose.

A disclaimer may name what Mutual is not ("this is not a diagnosis", "no es un diagnóstico"), so a
sentence that negates the word is allowed; anywhere else the word is a problem for
`check-content`, in English and in every shipped translation.
"""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(
    r"diagnos\w*|diagnóstic\w*|disorder\w*|symptom\w*|symptôme\w*|s[ií]ntoma\w*"
    r"|trastorno\w*|transtorno\w*|störung\w*"
    r"|you are codependent|eres codependiente|você é codependente|tu es codépendante?"
    r"|du bist co-?abhängig",
    re.IGNORECASE,
)
_NEGATION = (
    r"not|never|no|nor|isn't|is not|pas|jamais|ni|non|nicht|kein\w*|nie|niemals|não|nem|nunca"
    r"|sin|tampoco|ningún|ninguna|nenhum\w*"
)
_DISCLAIMER = re.compile(
    rf"\b({_NEGATION})\b[^.!?\n]{{0,40}}?\b(diagnos\w*|diagnóstic\w*)", re.IGNORECASE
)


def diagnostic_words(text: str) -> list[str]:
    """The diagnostic words in `text` that are not part of a disclaimer, in order."""
    allowed = {match.end() for match in _DISCLAIMER.finditer(text)}
    return [m.group(0) for m in _FORBIDDEN.finditer(text) if m.end() not in allowed]
