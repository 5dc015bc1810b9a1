"""Embeds for every self-check screen. Text comes from content; limits are Discord's."""

from __future__ import annotations

import discord

from bot.content.model import Instrument
from bot.i18n import N_, _, ngettext
from bot.services.excerpts import quoted_in_another_language
from bot.services.selfcheck import InstrumentInsight, Question, Result, Trend
from bot.services.selfcheck.charts import band_bar, level_bar
from cogs._common import CARE_COLOUR

EMBED_TOTAL = 6000
FIELD_VALUE = 1024

NOT_A_DIAGNOSIS = N_(
    "This is a reflection, not a test or a diagnosis, and it says nothing about who you are. "
    "Patterns can change, and you decide what, if anything, to do with this."
)
NOTHING_STORED = N_(
    "Only you can see these messages, and your answers are never stored. A finished check adds "
    "one to an anonymous daily count for this server's insights (no name, no answers; "
    "moderators see weekly totals only when there are at least 5). Your result is kept only if "
    "you choose **Save to my private history** at the end."
)
WITHHELD = N_(
    "Not shown this time. After what you shared about your safety, a reading here could sound "
    "like reassurance it cannot give. Your safety comes first; the note above is what matters now."
)
RESOURCES_POINTER = N_("If things feel heavy, `/resources` lists places to turn to, any time.")
WHAT_THIS_IS_NOT = N_("What this is not")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def intro_embed(instrument: Instrument) -> discord.Embed:
    embed = discord.Embed(
        title=clip(instrument.title, 256),
        description=clip(instrument.summary, 4096),
        colour=CARE_COLOUR,
    )
    embed.add_field(name=_(WHAT_THIS_IS_NOT), value=_(NOT_A_DIAGNOSIS), inline=False)
    embed.add_field(name=_("Your privacy"), value=_(NOTHING_STORED), inline=False)
    statements = len(instrument.items)
    embed.set_footer(
        text=ngettext(
            "{count} statement · about two minutes · Skip any you like",
            "{count} statements · about two minutes · Skip any you like",
            statements,
        ).format(count=statements)
    )
    return embed


def question_embed(question: Question) -> discord.Embed:
    embed = discord.Embed(
        title=clip(f"{question.instrument.title} · {question.progress}", 256),
        description=f"**{question.item.text}**\n\n" + _("How often has this been true lately?"),
        colour=CARE_COLOUR,
    )
    embed.set_footer(text=_("Back, Skip or Stop at any time. Nothing is stored while you answer."))
    return embed


def _dimension_value(
    percent: int | None,
    bounds: tuple[int, ...],
    level: str,
    feedback: str,
    next_step: str,
    *,
    withheld: bool = False,
    brief: bool = False,
) -> str:
    if withheld:
        return _(WITHHELD)
    if percent is None:
        return _("No reading: every statement here was skipped, and that is fine.")
    if brief:
        return clip(f"{band_bar(percent, bounds)} **{level}**\n{feedback}", FIELD_VALUE)
    bar = band_bar(percent, bounds)
    step = _("*One small step:* {step}").format(step=next_step)
    text = f"{bar} **{level}**\n{feedback}\n{step}"
    return clip(text, FIELD_VALUE)


def result_embed(
    result: Result, excerpts: list[tuple[str, str]], *, budget: int = EMBED_TOTAL
) -> discord.Embed:
    """Required parts first; excerpts only while the budget allows. When a safety note shares
    the message and leaves too little room, the readings drop their next steps, then shorten."""
    embed = _result_embed(result, excerpts, budget=budget, brief=False)
    if len(embed) <= budget:
        return embed
    embed = _result_embed(result, [], budget=budget, brief=True)
    while len(embed) > budget and embed.fields:
        overflow = len(embed) - budget
        longest = max(range(len(embed.fields)), key=lambda i: len(embed.fields[i].value or ""))
        field = embed.fields[longest]
        value = field.value or ""
        if len(value) <= 60:
            break
        embed.set_field_at(
            longest,
            name=field.name or "",
            value=clip(value, max(len(value) - overflow, 60)),
            inline=False,
        )
    return embed


def _result_embed(
    result: Result, excerpts: list[tuple[str, str]], *, budget: int, brief: bool
) -> discord.Embed:
    instrument = result.instrument
    description = _("Here is what your answers suggest. Read it gently: it describes patterns.")
    if result.skipped:
        skipped = ngettext(
            "({count} statement skipped; readings use the rest.)",
            "({count} statements skipped; readings use the rest.)",
            result.skipped,
        ).format(count=result.skipped)
        description += f" {skipped}"
    embed = discord.Embed(
        title=clip(_("Your reflection: {title}").format(title=instrument.title), 256),
        description=description,
        colour=CARE_COLOUR,
    )
    for dim in result.dimensions:
        band = dim.band
        value = _dimension_value(
            dim.percent,
            tuple(b.upto for b in dim.dimension.bands),
            band.level if band else "",
            band.feedback if band else "",
            band.next_step if band else "",
            withheld=dim.withheld,
            brief=brief,
        )
        embed.add_field(name=clip(dim.dimension.name, 256), value=value, inline=False)
    if result.balance_text:
        embed.add_field(
            name=_("Give and take"), value=clip(result.balance_text, FIELD_VALUE), inline=False
        )
    closing = f"{_(NOT_A_DIAGNOSIS)}\n{_(RESOURCES_POINTER)}"
    footer = _("Your result is kept only if you press Save to my private history.")
    reserve = len(_(WHAT_THIS_IS_NOT)) + len(closing) + len(footer)
    extras: list[tuple[str, str]] = [
        (clip(_excerpt_source(attribution), 256), clip(f"“{text}”", FIELD_VALUE))
        for text, attribution in excerpts
    ]
    for name, value in extras:
        if len(embed) + reserve + len(name) + len(value) <= budget:
            embed.add_field(name=name, value=value, inline=False)
    embed.add_field(name=_(WHAT_THIS_IS_NOT), value=closing, inline=False)
    embed.set_footer(text=footer)
    return embed


def _excerpt_source(attribution: str) -> str:
    """Excerpts are quoted word for word in their article's language, and say so to a reader
    in another one."""
    if quoted_in_another_language():
        return _("Quoted in English from {source}").format(source=attribution)
    return _("From {source}").format(source=attribution)


def learn_more_embed(instrument: Instrument) -> discord.Embed:
    embed = discord.Embed(
        title=clip(_("Learn more: {title}").format(title=instrument.title), 256),
        description=clip(instrument.learn_more, 4096),
        colour=CARE_COLOUR,
    )
    embed.add_field(name=_(WHAT_THIS_IS_NOT), value=_(NOT_A_DIAGNOSIS), inline=False)
    embed.set_footer(
        text=_("`/learn topic` has short passages from the articles this check draws on.")
    )
    return embed


def stopped_embed(instrument: Instrument) -> discord.Embed:
    return discord.Embed(
        title=_("Stopped"),
        description=_(
            "You stopped “{title}”. Nothing from it was kept. You can come back to it "
            "any time with `/selfcheck start`."
        ).format(title=instrument.title),
        colour=CARE_COLOUR,
    )


def expired_embed(instrument: Instrument) -> discord.Embed:
    return discord.Embed(
        title=_("This check expired"),
        description=_(
            "More than an hour has passed since you started “{title}”, so it has "
            "closed and nothing of it was kept. You are welcome to begin again."
        ).format(title=instrument.title),
        colour=CARE_COLOUR,
    )


def history_embed(trends: list[Trend]) -> discord.Embed:
    embed = discord.Embed(title=_("Your saved self-checks"), colour=CARE_COLOUR)
    if not trends:
        embed.description = _(
            "You have no saved results. After a check, press **Save to my private history** to "
            "keep one here; only the scores and the date are kept."
        )
        return embed
    embed.description = _(
        "Only you can see this. Each mark is one saved result, oldest first (▁ low, █ high)."
    )
    for trend in trends[:24]:
        lines = [
            f"`{dim.spark}` {dim.name}" + (f": {dim.latest_level}" if dim.latest_level else "")
            for dim in trend.dimensions
        ]
        dates = (
            trend.last_day
            if trend.count == 1
            else _("{first} to {last}").format(first=trend.first_day, last=trend.last_day)
        )
        name = ngettext(
            "{title} · {count} saved · {dates}", "{title} · {count} saved · {dates}", trend.count
        ).format(title=trend.title, count=trend.count, dates=dates)
        embed.add_field(
            name=clip(name, 256), value=clip("\n".join(lines), FIELD_VALUE), inline=False
        )
    embed.set_footer(text=_("Filed under a keyed code, never your account id. Delete any time."))
    return embed


def insights_embed(insights: list[InstrumentInsight], weeks: int, min_cell: int) -> discord.Embed:
    shown = ngettext(
        "Completed checks per ISO week (newest first, last {weeks}).",
        "Completed checks per ISO week (newest first, last {weeks}).",
        weeks,
    ).format(weeks=weeks)
    threshold = ngettext(
        "Counts and averages appear only for weeks with at least {min_cell} check, so no one "
        "can be singled out.",
        "Counts and averages appear only for weeks with at least {min_cell} checks, so no one "
        "can be singled out.",
        min_cell,
    ).format(min_cell=min_cell)
    scale = _("Averages are 0 to 100 on each dimension.")
    embed = discord.Embed(
        title=_("Self-checks in this server"),
        description=f"{shown} {threshold} {scale}",
        colour=CARE_COLOUR,
    )
    fields: list[tuple[str, str]] = []
    detail: list[tuple[str, str]] = []
    for insight in insights:
        lines = []
        quiet = 0
        for cell in insight.weeks:
            if cell.completions is None:
                quiet += 1
                continue
            lines.append(
                ngettext(
                    "**{week}**: {count} check", "**{week}**: {count} checks", cell.completions
                ).format(week=cell.label, count=cell.completions)
            )
            if cell.averages:
                detail.append(
                    (
                        clip(
                            _("{title} · {week} · averages").format(
                                title=insight.title, week=cell.label
                            ),
                            256,
                        ),
                        clip(
                            "\n".join(
                                f"`{level_bar(value)}` {value} · {name}"
                                for name, value in cell.averages
                            ),
                            FIELD_VALUE,
                        ),
                    )
                )
        if quiet:
            lines.append(
                ngettext(
                    "No week has {min_cell} check yet.",
                    "No week has {min_cell} checks yet.",
                    min_cell,
                ).format(min_cell=min_cell)
                if quiet == len(insight.weeks)
                # Translators: {min_cell} is the smallest count shown, 5 or more.
                else ngettext(
                    "{count} other week: fewer than {min_cell} checks each.",
                    "{count} other weeks: fewer than {min_cell} checks each.",
                    quiet,
                ).format(count=quiet, min_cell=min_cell)
            )
        fields.append(
            (clip(insight.title, 256), clip("\n".join(lines) or _("Nothing yet."), FIELD_VALUE))
        )
    for name, value in [*fields, *detail][:25]:
        if len(embed) + len(name) + len(value) > EMBED_TOTAL:
            break
        embed.add_field(name=name, value=value, inline=False)
    return embed
