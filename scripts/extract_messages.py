"""Write bot/locales/mutual.pot: every message of the code and every slash command text.

Run after changing member-facing text: `.venv/bin/python scripts/extract_messages.py`, then
update each language with `.venv/bin/pybabel update -i bot/locales/mutual.pot -d ...` or by
hand; tests/i18n fail while a shipped catalog lacks a message of the template.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import discord
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import MutualBot  # noqa: E402
from bot.config import DEFAULT_CONTENT_DIR, Settings  # noqa: E402
from bot.i18n.commands import RecordingTranslator  # noqa: E402

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TEMPLATE = ROOT / "bot" / "locales" / "mutual.pot"


def code_messages(catalog: Catalog) -> None:
    for folder in ("bot", "cogs"):
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder,
            method_map=[("sandbox/**.py", "ignore"), ("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
        ):
            catalog.add(
                message,
                locations=[(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )


async def command_messages(catalog: Catalog) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            token=None,
            database_path=Path(folder) / "extract.db",
            secret=b"extract-messages-only-0000000000",
            content_dir=DEFAULT_CONTENT_DIR,
            dev_guild_id=None,
            log_level="ERROR",
            prompt_grace_hours=6.0,
            send_rate_per_second=45.0,
            send_concurrency=8,
            api_base=None,
        )
        bot = MutualBot(settings, start_timers=False)
        await bot.setup_hook()
        recorder = RecordingTranslator()
        for command in bot.tree.get_commands():
            await command.get_translated_payload(bot.tree, recorder)
        for context, message in recorder.seen:
            catalog.add(message, locations=[("commands", 0)], context=context)
        await bot.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TEMPLATE, help="where to write")
    output: Path = parser.parse_args().output
    catalog = Catalog(project="Mutual", charset="utf-8", fuzzy=False)
    code_messages(catalog)
    asyncio.run(command_messages(catalog))
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)
    print(f"{len(catalog)} messages written to {output}")
    return 0


if __name__ == "__main__":
    discord.utils.setup_logging(level=40)
    sys.exit(main())
