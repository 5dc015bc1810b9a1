"""Turning a topic, an excerpt or a prompt into what a discussion opens with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from babel.dates import format_date

from bot.content import Content, Excerpt, Guide
from bot.errors import UserFacingError
from bot.i18n import N_, _
from bot.i18n.dates import babel_locale
from bot.services.discussions.model import SourceKind, SourcePlan
from bot.services.exclusions import NOTHING_EXCLUDED, Exclusions
from bot.services.prompts.model import PostedPrompt

QUESTIONS_SHOWN = 3
THREAD_NAME_MAX = 100
CHOICE_NAME_MAX = 100
# The `prompt` value meaning "the prompt this server posted today (or last)". Content ids are
# lowercase letters, digits and dashes, and a server's own prompts are "c:<id>", so no prompt
# can ever be called this.
POSTED_PROMPT = "@posted"
NO_POSTED_PROMPT = N_(
    "This server hasn't posted a daily prompt yet, so there is no today's prompt to discuss. "
    "You can pick any prompt from the list instead, or set up daily prompts with /prompts setup."
)


def guides_for(content: Content, topics: tuple[str, ...]) -> list[Guide]:
    """Guides of the first topic that has any, in a stable order."""
    for topic in topics:
        found = sorted((g for g in content.guides.values() if g.topic == topic), key=lambda g: g.id)
        if found:
            return found
    return []


def pick_guide(content: Content, topics: tuple[str, ...], rotation: int) -> Guide | None:
    """Successive discussions on the same topic rotate through its guides."""
    found = guides_for(content, topics)
    return found[rotation % len(found)] if found else None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def resolve(
    content: Content,
    kind: SourceKind,
    source_id: str,
    *,
    rotation: int,
    attribution: Callable[[Excerpt], str],
    guide_id: str | None = None,
) -> SourcePlan:
    """The passage and questions; `guide_id` keeps the guide chosen when it was scheduled."""
    passage: str | None = None
    credit: str | None = None
    notes: tuple[str, ...] = ()
    if kind == "topic":
        if source_id not in content.topics:
            raise UserFacingError(_("I don't know that topic. Please pick one of the suggestions."))
        topics: tuple[str, ...] = (source_id,)
    elif kind == "excerpt":
        excerpt = content.excerpts.get(source_id)
        if excerpt is None:
            raise UserFacingError(
                _("I don't know that excerpt. Please pick one of the suggestions.")
            )
        topics, passage, credit = excerpt.topics, excerpt.text, attribution(excerpt)
        notes = excerpt.content_notes
    else:
        prompt = content.prompts.get(source_id)
        if prompt is None:
            raise UserFacingError(
                _("I don't know that prompt. Please pick one of the suggestions.")
            )
        topics, passage, notes = (prompt.topic,), prompt.text, prompt.content_notes
    guide = content.guides.get(guide_id) if guide_id else None
    guide = guide or pick_guide(content, topics, rotation)
    if guide is not None:
        notes = _with_guide_notes(notes, guide)
    label = content.topic_label(topics[0]) if topics else ""
    title = guide.title if guide else label
    return SourcePlan(
        kind=kind,
        source_id=source_id,
        title=_clip(title, THREAD_NAME_MAX),
        topic_label=label,
        passage=passage,
        attribution=credit,
        content_warning=content.notes_label(notes),
        guide_id=guide.id if guide else None,
        questions=guide.questions[:QUESTIONS_SHOWN] if guide else (),
        topic_id=topics[0] if topics else None,
        note_ids=notes,
    )


def _with_guide_notes(notes: tuple[str, ...], guide: Guide | None) -> tuple[str, ...]:
    if guide is None:
        return notes
    return (*notes, *(n for n in guide.content_notes if n not in notes))


def _joined(*notes: str | None) -> str | None:
    return ", ".join(n for n in notes if n) or None


def day_and_month(day: date) -> str:
    """ "Monday 01 June" in English; each language orders and names it as its catalog says."""
    # Translators: a CLDR date pattern (EEEE weekday, dd day, MMMM month), not words to
    # translate; reorder it as your language writes a date ("EEEE d 'de' MMMM").
    return format_date(day, _("EEEE dd MMMM"), locale=babel_locale())


def lead_for(today: bool, day: date) -> str:
    """How an opening introduces the prompt a server posted, in the current language."""
    if today:
        return _("Today's prompt")
    return _("The prompt of {date}").format(date=day_and_month(day))


def posted_lead(posted: PostedPrompt) -> str:
    return lead_for(posted.today, posted.local_date)


def from_posted(content: Content, posted: PostedPrompt, *, rotation: int) -> SourcePlan:
    """The prompt members saw, which may be one of the server's own (with or without a topic)."""
    prompt = posted.prompt
    topics: tuple[str, ...] = (prompt.topic,) if prompt.topic else ()
    guide = pick_guide(content, topics, rotation)
    label = content.topic_label(topics[0]) if topics else ""
    title = guide.title if guide else (label or posted_lead(posted))
    own_note = None if prompt.content_notes else prompt.content_warning
    notes = _with_guide_notes(prompt.content_notes, guide)
    return SourcePlan(
        kind="prompt",
        source_id=prompt.key,
        title=_clip(title, THREAD_NAME_MAX),
        topic_label=label,
        passage=prompt.text,
        attribution=None,
        content_warning=_joined(own_note, content.notes_label(notes)),
        guide_id=guide.id if guide else None,
        questions=guide.questions[:QUESTIONS_SHOWN] if guide else (),
        lead=posted_lead(posted),
        topic_id=topics[0] if topics else None,
        note_ids=notes,
        own_note=own_note,
        posted_on=posted.local_date,
        posted_today=posted.today,
    )


def title_in(content: Content, guide_id: str | None, topic_id: str | None, stored: str) -> str:
    """A discussion's title in `content`'s language: its guide's, else its topic's, else the
    words it was planned with (a server's own prompt)."""
    guide = content.guides.get(guide_id) if guide_id else None
    if guide is not None:
        return _clip(guide.title, THREAD_NAME_MAX)
    if topic_id:
        return _clip(content.topic_label(topic_id), THREAD_NAME_MAX)
    return stored


def localised(content: Content, plan: SourcePlan) -> SourcePlan:
    """The plan with every text looked up again by id in `content` (the language of the place
    it is shown), and our own words in the current language. Excerpts are quotations and stay
    as written; a server's own prompt keeps the words its moderators wrote."""
    guide = content.guides.get(plan.guide_id) if plan.guide_id else None
    lead = plan.lead
    if plan.posted_on is not None:
        lead = lead_for(plan.posted_today, plan.posted_on)
    title = title_in(content, plan.guide_id, plan.topic_id, plan.title)
    if guide is None and not plan.topic_id and lead:
        title = _clip(lead, THREAD_NAME_MAX)
    prompt = content.prompts.get(plan.source_id) if plan.kind == "prompt" else None
    return replace(
        plan,
        title=title,
        topic_label=content.topic_label(plan.topic_id) if plan.topic_id else plan.topic_label,
        passage=prompt.text if prompt is not None else plan.passage,
        content_warning=_joined(plan.own_note, content.notes_label(plan.note_ids)),
        questions=guide.questions[:QUESTIONS_SHOWN] if guide else plan.questions,
        lead=lead,
    )


def topic_of(content: Content, kind: str, source_id: str) -> str | None:
    """The topic a discussion's source belongs to (the first, for an excerpt with several)."""
    if kind == "topic":
        return source_id if source_id in content.topics else None
    if kind == "excerpt" and source_id in content.excerpts:
        topics = content.excerpts[source_id].topics
        return topics[0] if topics else None
    if kind == "prompt" and source_id in content.prompts:
        return content.prompts[source_id].topic
    return None


def title_for(
    content: Content, guide_id: str | None, kind: str, source_id: str, stored: str
) -> str:
    """The title of a discussion on `source_id` in `content`'s language (see `title_in`)."""
    return title_in(content, guide_id, topic_of(content, kind, source_id), stored)


def posted_choice(posted: PostedPrompt | None, query: str) -> tuple[str, str] | None:
    """The first suggestion for `prompt`: what the server posted, when the query fits it."""
    if posted is None:
        return None
    if posted.today:
        lead = posted_lead(posted)
    else:
        # Translators: a CLDR date pattern (dd day, MMM abbreviated month), not words.
        day = format_date(posted.local_date, _("dd MMM"), locale=babel_locale())
        lead = _("Latest prompt ({date})").format(date=day)
    if not _matches(query, lead, "today", "latest", "posted", posted.prompt.text):
        return None
    return _clip(f"{lead}: {' '.join(posted.prompt.text.split())}", CHOICE_NAME_MAX), POSTED_PROMPT


def _matches(query: str, *texts: str) -> bool:
    needle = query.casefold().strip()
    return not needle or any(needle in text.casefold() for text in texts)


def topic_choices(
    content: Content, query: str, limit: int = 25, exclusions: Exclusions = NOTHING_EXCLUDED
) -> list[tuple[str, str]]:
    with_guides = {g.topic for g in content.guides.values() if exclusions.allows_guide(g)}
    return [
        (_clip(topic.label, CHOICE_NAME_MAX), topic.id)
        for topic in content.topics.values()
        if topic.id in with_guides and _matches(query, topic.label, topic.id)
    ][:limit]


def excerpt_choices(
    content: Content, query: str, limit: int = 25, exclusions: Exclusions = NOTHING_EXCLUDED
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for excerpt in content.excerpts.values():
        if not exclusions.allows_excerpt(excerpt):
            continue
        labels = " ".join(content.topic_label(t) for t in excerpt.topics)
        if _matches(query, excerpt.text, excerpt.id, labels):
            label = content.topic_label(excerpt.topics[0]) if excerpt.topics else ""
            found.append((_clip(f"{label}: {excerpt.text}", CHOICE_NAME_MAX), excerpt.id))
        if len(found) >= limit:
            break
    return found


def prompt_choices(
    content: Content, query: str, limit: int = 25, exclusions: Exclusions = NOTHING_EXCLUDED
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for prompt in content.prompts.values():
        if exclusions.allows_prompt(prompt) and _matches(
            query, prompt.text, prompt.id, content.topic_label(prompt.topic)
        ):
            found.append((_clip(prompt.text, CHOICE_NAME_MAX), prompt.id))
        if len(found) >= limit:
            break
    return found


def choose_source(
    topic: str | None, excerpt: str | None, prompt: str | None
) -> tuple[SourceKind, str]:
    candidates: tuple[tuple[SourceKind, str | None], ...] = (
        ("topic", topic),
        ("excerpt", excerpt),
        ("prompt", prompt),
    )
    given = [(kind, value) for kind, value in candidates if value]
    if not given:
        raise UserFacingError(_("Please choose what to discuss: a topic, an excerpt or a prompt."))
    if len(given) > 1:
        raise UserFacingError(_("Please choose just one of topic, excerpt or prompt."))
    return given[0]
