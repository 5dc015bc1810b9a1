"""The shapes the prompt services pass around, and the errors they speak in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.content import Content

# Re-exported: features name custom prompts through the service, never through storage.
from bot.db.prompt_library import CUSTOM_PREFIX as CUSTOM_PREFIX
from bot.db.prompt_library import CustomPrompt as CustomPrompt


class PromptInputError(ValueError):
    """Something a moderator or member typed cannot be used; the message says why, kindly."""


class PostError(Exception):
    """A post could not be delivered. Subclasses say whether waiting would help."""


class ChannelGone(PostError):
    """The channel was deleted (404): posting stays paused until a moderator picks another."""


class MissingAccess(PostError):
    """Discord refused (403); `permission` names what the bot lacks, as Discord shows it."""

    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


class TemporaryFailure(PostError):
    """Rate limited or a server error after the client's own retries: try again later."""


@dataclass(frozen=True)
class PromptText:
    """One prompt as it will be shown: built-in (key = content id) or the server's own."""

    key: str
    text: str
    topic: str | None = None
    content_warning: str | None = None
    """A server's own prompt's note, in the moderator's words."""
    content_notes: tuple[str, ...] = ()
    """A built-in prompt's notes, from the shared vocabulary."""

    @property
    def is_custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)

    def words(self, content: Content) -> str:
        """The text to show: a built-in prompt's in `content`'s language, looked up by id when
        shown (the prompt may have been picked in another language); a server's own as written.
        """
        if not self.is_custom:
            found = content.prompts.get(self.key)
            if found is not None:
                return found.text
        return self.text

    def note(self, content: Content) -> str | None:
        """The content note to show before the text, if the prompt has one."""
        return content.notes_label(self.content_notes) or self.content_warning


def custom_text(prompt: CustomPrompt) -> PromptText:
    """A server's own prompt as it will be shown, in the moderator's words."""
    return PromptText(prompt.key, prompt.text, prompt.topic, prompt.content_warning)


@dataclass(frozen=True)
class PostedPrompt:
    """A prompt this server really posted, so other features (discussions) can build on it."""

    prompt: PromptText
    local_date: date
    today: bool
    """True when posted on today's date in the schedule's timezone."""


@dataclass(frozen=True)
class PostJob:
    """Everything needed to put one day's prompt in a channel, after a restart too."""

    guild_id: int
    local_date: date
    channel_id: int
    prompt: PromptText
    use_thread: bool
    pin: bool
    with_excerpt: bool
    schedule_name: str = "daily"
    schedule_id: int = 0
    claimed_utc: int = 0
    """When its claim was taken (unix seconds): part of the nonce, so a re-dated post never
    shares one with the next day's post."""

    @property
    def claim_key(self) -> str:
        return f"{self.guild_id}:{self.schedule_name}:{self.local_date.isoformat()}"

    @property
    def nonce(self) -> str:
        """Deterministic, so a re-send after a crash returns the first message, not a second."""
        return post_nonce(self.schedule_id, self.claimed_utc, self.local_date)

    @property
    def name(self) -> str:
        return f"prompt:{self.claim_key}"


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
NONCE_MAX = 25


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
        if number == 0:
            return digits


def post_nonce(schedule_id: int, claimed_utc: int, local_date: date) -> str:
    """`{schedule}.{claimed at}:{local date}` within Discord's 25-character nonce limit.

    The schedule id tells two schedules of a server apart; the claim's own time tells a claim
    from an earlier one of the same schedule that a zone change re-dated onto the same day (the
    date alone would repeat, and Discord would hand back the earlier message instead of posting).
    A retaken failed claim gets a new time, so a new nonce. Base 36 keeps it at most 25.
    """
    tail = f"{_base36(claimed_utc)}:{local_date:%Y%m%d}"
    head = _base36(schedule_id)[-(NONCE_MAX - len(tail) - 1) :]
    return f"{head}.{tail}"


class Poster(Protocol):
    """The Discord side: put a prompt in a channel, or tell the server's log channel something."""

    async def post(self, job: PostJob) -> int:
        """Send and return the message id; raises ChannelGone, MissingAccess, TemporaryFailure."""
        ...

    async def find_posted(self, job: PostJob, since: datetime) -> int | None:
        """The job's message id if it is in the channel after `since`; raises like `post`."""
        ...

    async def notify(self, guild_id: int, text: str) -> None: ...


Submit = Callable[[str, Callable[[], Awaitable[None]]], Any]
