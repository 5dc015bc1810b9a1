"""Clicks and form submits are counted by feature prefix as they arrive, never by what the rest
of their custom id carries."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.metrics import Metrics


def test_clicks_and_submits_are_counted_as_they_are_parsed() -> None:
    parsed: list[Any] = []
    client: Any = SimpleNamespace(
        _connection=SimpleNamespace(parsers={"INTERACTION_CREATE": parsed.append})
    )
    metrics = Metrics()
    metrics.count_components(client)
    metrics.count_components(client)  # once only
    parse = client._connection.parsers["INTERACTION_CREATE"]
    parse({"type": 3, "data": {"custom_id": "sc:1ad1e5:h9xg1:ffe2228f:01:2"}})
    parse({"type": 3, "data": {"custom_id": "sc:1ad1e5:h9xg1:ffe2228f:012:x"}})
    parse({"type": 5, "data": {"custom_id": "Not a prefix!"}})
    parse({"type": 2, "data": {"name": "about"}})
    assert len(parsed) == 4
    text = metrics.render().decode()
    assert 'mutual_interactions_total{command="component:sc",outcome="received"} 2.0' in text
    assert 'mutual_interactions_total{command="component:other",outcome="received"} 1.0' in text
    assert "about" not in text and "ffe2228f" not in text
