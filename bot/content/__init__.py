"""Content is data: typed, frozen views of the TOML files under `content/`."""

from bot.content.loader import ContentError, ContentProblem, load_content, validate_content
from bot.content.model import (
    ANSWER_LABELS,
    Balance,
    Band,
    Content,
    Dimension,
    Excerpt,
    Guide,
    Instrument,
    Item,
    Prompt,
    Resource,
    Resources,
    Source,
    Topic,
)

__all__ = [
    "ANSWER_LABELS",
    "Balance",
    "Band",
    "Content",
    "ContentError",
    "ContentProblem",
    "Dimension",
    "Excerpt",
    "Guide",
    "Instrument",
    "Item",
    "Prompt",
    "Resource",
    "Resources",
    "Source",
    "Topic",
    "load_content",
    "validate_content",
]
