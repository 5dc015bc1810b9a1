"""Self-check instruments: dimensions with score bands, items, and the optional balance pair.

Band texts are checked against the embed field they are shown in, so a result can never be
refused by Discord for length.
"""

from __future__ import annotations

import re
from typing import Any

from bot.content.fields import FieldReader, read_topics
from bot.content.model import (
    MAX_ANSWER,
    Balance,
    Band,
    Dimension,
    Instrument,
    Item,
    SafetyKind,
    Source,
    Topic,
)

MIN_ITEMS, MAX_ITEMS = 8, 15
# An instrument's band text is rendered as one embed field value (1,024 characters) with a bar.
BAND_TEXT_BUDGET = 950
# A band that speaks of safety or security must say whether it reassures: such a band is never
# shown beside a safety answer, so the author has to decide, not forget.
SAFETY_WORDS = re.compile(r"\b(safe|safely|safety|secure|security|unsafe)\b", re.IGNORECASE)


def read_instrument(
    reader: FieldReader,
    data: dict[str, Any],
    topics: dict[str, Topic],
    sources: dict[str, Source],
    safety: dict[str, SafetyKind],
) -> Instrument:
    ident = reader.identifier(data, "id", "")
    grounded = reader.text_list(data, "grounded_in", "", max_len=60, max_items=10)
    for source_id in grounded:
        if sources and source_id not in sources:
            reader.problem("grounded_in", f"unknown source {source_id!r}")
    dimensions: list[Dimension] = []
    dimension_ids: set[str] = set()
    for dim_path, table in reader.tables(data, "dimension"):
        dim_id = reader.identifier(table, "id", dim_path)
        if dim_id in dimension_ids:
            reader.problem(f"{dim_path}.id", f"duplicate dimension id {dim_id!r}")
        dimension_ids.add(dim_id)
        bands = _bands(reader, table, dim_path)
        dimensions.append(
            Dimension(
                id=dim_id,
                name=reader.text(table, "name", dim_path, max_len=100),
                topics=read_topics(reader, table, dim_path, topics),
                bands=bands,
            )
        )
    if not dimensions:
        reader.problem("dimension", "at least one [[dimension]] is required")
    items: list[Item] = []
    item_ids: set[str] = set()
    for item_path, table in reader.tables(data, "item"):
        item_id = reader.identifier(table, "id", item_path)
        if item_id in item_ids:
            reader.problem(f"{item_path}.id", f"duplicate item id {item_id!r}")
        item_ids.add(item_id)
        dimension = reader.text(table, "dimension", item_path, max_len=60)
        if dimension and dimension not in dimension_ids:
            reader.problem(f"{item_path}.dimension", f"unknown dimension {dimension!r}")
        items.append(
            Item(
                id=item_id,
                dimension=dimension,
                text=reader.text(table, "text", item_path, max_len=200),
                reverse=reader.flag(table, "reverse", item_path),
                **_safety(reader, table, item_path, safety),
            )
        )
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        reader.problem(
            "item", f"an instrument needs {MIN_ITEMS} to {MAX_ITEMS} items, has {len(items)}"
        )
    for dim_id in dimension_ids - {item.dimension for item in items if item.safety is None}:
        reader.problem(
            "dimension", f"dimension {dim_id!r} has no items that count into its reading"
        )
    if "safety_threshold" in data:
        reader.problem("safety_threshold", "thresholds belong to the safety kinds in safety.toml")
    return Instrument(
        id=ident,
        title=reader.text(data, "title", "", max_len=100),
        summary=reader.text(data, "summary", "", max_len=1000),
        grounded_in=grounded,
        learn_more=reader.text(data, "learn_more", "", max_len=1000),
        dimensions=tuple(dimensions),
        items=tuple(items),
        balance=_balance(reader, data, dimension_ids),
    )


def _bands(reader: FieldReader, table: dict[str, Any], dim_path: str) -> tuple[Band, ...]:
    bands: list[Band] = []
    previous = -1
    for band_path, band_table in reader.tables(table, "band"):
        full_path = f"{dim_path}.{band_path}"
        band = Band(
            upto=reader.integer(band_table, "upto", full_path, low=0, high=100, default=None),
            level=reader.text(band_table, "level", full_path, max_len=60),
            feedback=reader.text(band_table, "feedback", full_path, max_len=700),
            next_step=reader.text(band_table, "next_step", full_path, max_len=300),
            reassures=reader.flag(band_table, "reassures", full_path),
        )
        if "reassures" not in band_table and SAFETY_WORDS.search(band.feedback + band.next_step):
            reader.problem(
                f"{full_path}.reassures",
                "the text speaks of safety or security: say whether it reassures (true/false)",
            )
        if band.upto <= previous:
            reader.problem(f"{full_path}.upto", "bands must be in ascending order of upto")
        previous = band.upto
        if len(band.level) + len(band.feedback) + len(band.next_step) > BAND_TEXT_BUDGET:
            reader.problem(
                full_path,
                f"level, feedback and next_step together exceed {BAND_TEXT_BUDGET} characters",
            )
        bands.append(band)
    if not bands:
        reader.problem(f"{dim_path}.band", "at least one band is required")
    elif bands[-1].upto != 100:
        reader.problem(f"{dim_path}.band", "the last band must have upto = 100")
    return tuple(bands)


def _balance(reader: FieldReader, data: dict[str, Any], dimension_ids: set[str]) -> Balance | None:
    table = data.get("balance")
    if table is None:
        return None
    if not isinstance(table, dict):
        reader.problem("balance", "must be a table")
        return None
    balance = Balance(
        first=reader.text(table, "first", "balance", max_len=60),
        second=reader.text(table, "second", "balance", max_len=60),
        margin=reader.integer(table, "margin", "balance", low=0, high=100, default=15),
        even=reader.text(table, "even", "balance", max_len=700),
        first_higher=reader.text(table, "first_higher", "balance", max_len=700),
        second_higher=reader.text(table, "second_higher", "balance", max_len=700),
    )
    for key in ("first", "second"):
        value = getattr(balance, key)
        if value and value not in dimension_ids:
            reader.problem(f"balance.{key}", f"unknown dimension {value!r}")
    return balance


def _safety(
    reader: FieldReader, table: dict[str, Any], path: str, kinds: dict[str, SafetyKind]
) -> dict[str, Any]:
    """`safety = "self-harm"` names the kind; the threshold is the kind's unless set lower."""
    value = table.get("safety", False)
    if value is False:
        if "safety_threshold" in table:
            reader.problem(f"{path}.safety_threshold", "only applies to safety items")
        return {"safety": None, "safety_threshold": None}
    if not isinstance(value, str) or value not in kinds:
        reader.problem(
            f"{path}.safety", f"must name a safety kind from safety.toml ({', '.join(kinds)})"
        )
        return {"safety": None, "safety_threshold": None}
    threshold = kinds[value].threshold
    if "safety_threshold" in table:
        own = reader.integer(table, "safety_threshold", path, low=1, high=MAX_ANSWER, default=None)
        if own > threshold:
            reader.problem(
                f"{path}.safety_threshold",
                f"may only be lower than the kind's threshold ({threshold}), never higher",
            )
        threshold = min(own, threshold)
    return {"safety": value, "safety_threshold": threshold}
