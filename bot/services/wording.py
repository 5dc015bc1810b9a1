"""Counted nouns as people write them: "1 question", "3 questions", never "question(s)"."""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """`number` with the noun that fits it; `plural` for the irregular ones ("people")."""
    noun = singular if number == 1 else (plural or f"{singular}s")
    return f"{number:,} {noun}"


def sentence_case(text: str) -> str:
    """First letter up, the rest as written: "Monday to Friday", not "Monday to friday"."""
    return text[:1].upper() + text[1:]
