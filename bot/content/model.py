"""Frozen dataclasses for everything in `content/`; services read these, never raw TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.i18n import N_

# The answer scale is the same for every instrument; shown through `_()` at render time.
ANSWER_LABELS: tuple[str, ...] = (
    N_("Never"),
    N_("Rarely"),
    N_("Sometimes"),
    N_("Often"),
    N_("Always"),
)
MAX_ANSWER = len(ANSWER_LABELS) - 1

# Kinds of help line, in the order a general list shows them.
LINE_KINDS: tuple[str, ...] = ("crisis", "text", "abuse")


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
class ContentNote:
    """One kind of difficult subject, named before the text so a member can choose to read on."""

    id: str
    label: str


@dataclass(frozen=True)
class Excerpt:
    id: str
    source: str
    topics: tuple[str, ...]
    text: str
    content_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prompt:
    id: str
    topic: str
    text: str
    content_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    content_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    upto: int
    level: str
    feedback: str
    next_step: str
    reassures: bool = False
    """The text tells the member they seem safe or secure: never shown beside a safety answer."""


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
    safety: str | None = None
    """The safety kind this item asks about (see `SafetyKind`); None for an ordinary item."""
    safety_threshold: int | None = None
    """The answer from which the item counts as a safety answer: the kind's threshold unless the
    item sets a lower one. Resolved when content is loaded, so it is set on every safety item."""


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
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    balance: Balance | None = None

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)


@dataclass(frozen=True)
class SafetyKind:
    """What a safety answer is about, and the note that answers it.

    Each kind has its own words (what to do now, a line of hope, that nobody has been told) and
    the kinds of help line that fit it first, because self-harm and fear of a partner call for
    different help.
    """

    id: str
    threshold: int
    title: str
    now: str
    hope: str
    told: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class HelpLine:
    kind: str
    name: str
    contact: str
    detail: str
    source: str
    last_checked: date
    url: str | None = None
    hours: str | None = None


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    lines: tuple[HelpLine, ...]


@dataclass(frozen=True)
class Resource:
    name: str
    detail: str
    url: str | None = None


@dataclass(frozen=True)
class Resources:
    notice: str
    items: tuple[Resource, ...]
    countries: dict[str, Country] = field(default_factory=dict)
    international: tuple[HelpLine, ...] = ()


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    excerpts: dict[str, Excerpt] = field(default_factory=dict)
    prompts: dict[str, Prompt] = field(default_factory=dict)
    guides: dict[str, Guide] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    resources: Resources = field(default_factory=lambda: Resources(notice="", items=()))
    notes: dict[str, ContentNote] = field(default_factory=dict)
    safety: dict[str, SafetyKind] = field(default_factory=dict)
    localised: dict[str, Content] = field(default_factory=dict)
    """The same content in each shipped language (English wherever a translation lacks a text)."""
    missing_translations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def for_locale(self, locale: str | None) -> Content:
        """This content in a Discord locale ("es-ES", "es-419", "pt-BR", "de"), or English.

        An exact match wins, then the same language in another region."""
        if not locale or not self.localised:
            return self
        if locale in self.localised:
            return self.localised[locale]
        language = locale.split("-")[0]
        for shipped, content in self.localised.items():
            if shipped.split("-")[0] == language:
                return content
        return self

    def topic_label(self, topic_id: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.label if topic else topic_id

    def notes_label(self, note_ids: tuple[str, ...]) -> str | None:
        """The content notes as one line ("abuse in relationships, self-harm"), or None."""
        labels = [self.notes[n].label if n in self.notes else n for n in note_ids]
        return ", ".join(labels) or None
