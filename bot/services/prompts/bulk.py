"""A server's own prompts as a CSV file: exported whole, imported all-or-nothing.

The file has one prompt per row and the columns `text,topic,content_note` (the header row is
optional on import; topic and content note may be empty). CSV rather than one prompt per line
because a prompt may hold line breaks and commas, and every spreadsheet opens and saves it.
An import checks every row against the same limits as /prompts add and names each problem by its
line, so a moderator can fix them all in one go; a file with any problem imports nothing.
"""

from __future__ import annotations

import csv
import io

from bot.db import Storage
from bot.db import prompt_library as repo
from bot.i18n import _, ngettext
from bot.i18n.numbers import number
from bot.services.prompts.library import MAX_CUSTOM, PromptLibrary, clean
from bot.services.prompts.model import PromptInputError

COLUMNS = ("text", "topic", "content_note")
MAX_FILE_BYTES = 1_000_000
FILENAME = "mutual-prompts.csv"


class ImportProblems(PromptInputError):
    """The file could not be imported; `problems` names each one, "line N: why"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _line(line: int, why: str) -> str:
    return _("Line {line}: {problem}").format(line=line, problem=why)


class PromptFiles:
    def __init__(self, db: Storage, library: PromptLibrary) -> None:
        self.db = db
        self.library = library

    async def export(self, guild_id: int) -> tuple[bytes, int]:
        """The file's bytes (UTF-8 with a BOM, so spreadsheets read accents) and how many rows."""
        found = (await repo.custom_for(self.db, [guild_id])).get(guild_id, [])
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for prompt in found:
            writer.writerow([prompt.text, prompt.topic or "", prompt.content_warning or ""])
        return out.getvalue().encode("utf-8-sig"), len(found)

    def _rows(self, data: bytes) -> list[tuple[int, str, str | None, str | None]]:
        """(line, text, content note, topic id) per row; raises ImportProblems naming them all."""
        if len(data) > MAX_FILE_BYTES:
            raise ImportProblems(
                [
                    _("The file is larger than {size} KB; please split it.").format(
                        size=number(MAX_FILE_BYTES // 1000)
                    )
                ]
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportProblems(
                [_("I couldn't read the file as UTF-8 text. Save it as CSV (UTF-8) and try again.")]
            ) from None
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list[tuple[int, str, str | None, str | None]] = []
        problems: list[str] = []
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error:
                problems.append(_line(start, _("the quotes don't match up.")))
                break
            if not any(cell.strip() for cell in cells):
                continue
            if not rows and not problems and [c.strip().casefold() for c in cells] == [*COLUMNS]:
                continue  # the header
            if len(cells) > len(COLUMNS):
                problems.append(
                    _line(
                        start,
                        _("it has more than three columns (text, topic, content note)."),
                    )
                )
                continue
            body, topic, note = (*cells, "", "")[:3]
            try:
                cleaned, warning = clean(body, note)
                topic_id = self.library.topic_id(topic)
            except PromptInputError as error:
                problems.append(_line(start, str(error)))
                continue
            rows.append((start, cleaned, warning, topic_id))
        if problems:
            raise ImportProblems(problems)
        if not rows:
            raise ImportProblems([_("The file has no prompts in it.")])
        return rows

    async def import_file(self, guild_id: int, data: bytes) -> int:
        """Add every prompt in the file, or none; returns how many were added."""
        rows = self._rows(data)
        async with self.db.transaction() as tx:
            _items, total = await repo.custom_page(tx, guild_id, 0, 0)
            if total + len(rows) > MAX_CUSTOM:
                raise ImportProblems(
                    [
                        ngettext(
                            "The file has {count} prompt and this server has {have}; together "
                            "that is more than the {limit} I keep.",
                            "The file has {count} prompts and this server has {have}; together "
                            "that is more than the {limit} I keep.",
                            len(rows),
                        ).format(
                            count=number(len(rows)), have=number(total), limit=number(MAX_CUSTOM)
                        )
                    ]
                )
            for _line_number, text, warning, topic_id in rows:
                await repo.add_custom(tx, guild_id, text, topic_id, warning, "moderator")
        return len(rows)
