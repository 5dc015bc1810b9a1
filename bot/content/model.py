"""Frozen dataclasses for everything in `content/`; services read these, never raw TOML."""

from __future__ import annotations

from dataclasses import dataclass, field

ANSWER_LABELS: tuple[str, ...] = ("Never", "Rarely", "Sometimes", "Often", "Always")
MAX_ANSWER = len(ANSWER_LABELS) - 1


@dataclass(frozen=True)
class Topic:
    id: str
    label: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    site: str | None
    seed: str
    date: str | None = None
    url: str | None = None

    @property
    def attribution(self) -> str:
        parts = [f"“{self.title}”"]
        if self.site:
            parts.append(self.site)
        if self.date:
            parts.append(self.date)
        return " · ".join(parts)


@dataclass(frozen=True)
class Excerpt:
    id: str
    source: str
    topics: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Prompt:
    id: str
    topic: str
    text: str
    content_warning: str | None = None


@dataclass(frozen=True)
class Guide:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Band:
    upto: int
    level: str
    feedback: str
    next_step: str


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    topics: tuple[str, ...]
    bands: tuple[Band, ...]

    def band_for(self, percent: float) -> Band:
        for band in self.bands:
            if percent <= band.upto:
                return band
        return self.bands[-1]


@dataclass(frozen=True)
class Item:
    id: str
    dimension: str
    text: str
    reverse: bool = False
    safety: bool = False
    # Overrides the instrument's threshold, for items where even a rare "yes" deserves care.
    safety_threshold: int | None = None


@dataclass(frozen=True)
class Balance:
    first: str
    second: str
    margin: int
    even: str
    first_higher: str
    second_higher: str


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    summary: str
    grounded_in: tuple[str, ...]
    learn_more: str
    safety_threshold: int
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    balance: Balance | None = None

    def safety_threshold_for(self, item: Item) -> int:
        return item.safety_threshold if item.safety_threshold is not None else self.safety_threshold

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)


@dataclass(frozen=True)
class Resource:
    name: str
    detail: str
    url: str | None = None


@dataclass(frozen=True)
class Resources:
    notice: str
    items: tuple[Resource, ...]


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    excerpts: dict[str, Excerpt] = field(default_factory=dict)
    prompts: dict[str, Prompt] = field(default_factory=dict)
    guides: dict[str, Guide] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    resources: Resources = field(default_factory=lambda: Resources(notice="", items=()))

    def topic_label(self, topic_id: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.label if topic else topic_id
