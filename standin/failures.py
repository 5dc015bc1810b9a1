"""The stand-in's record of everything real Discord would have refused or punished.

Tests assert this list is empty at teardown, so a bot that sends an over-long embed, forgets to
acknowledge an interaction or calls a route the stand-in does not know fails loudly instead of
passing against a fake that was too forgiving.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Failure:
    """One thing that went wrong: what kind, on which request, why, and the body that did it."""

    kind: str
    method: str
    path: str
    problem: str
    body: Any = None

    def __str__(self) -> str:
        text = f"[{self.kind}] {self.method} {self.path}: {self.problem}"
        if self.body is not None:
            rendered = json.dumps(self.body, default=str, ensure_ascii=False)
            if len(rendered) > 2_000:
                rendered = rendered[:2_000] + "…"
            text += f"\n    body: {rendered}"
        return text


def report(failures: list[Failure]) -> str:
    """A readable block listing every failure, for assertion messages."""
    lines = [f"{len(failures)} stand-in failure(s):"]
    lines += [f"  {f}" for f in failures]
    return "\n".join(lines)
