"""`doctor` and `check-content`: read-only checks an operator runs before and after a change."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.common import point_at_api, settings_or_exit
from bot.config import DEFAULT_CONTENT_DIR
from bot.logs import setup_logging


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.doctor import examine, healthy, render

    settings = settings_or_exit()
    setup_logging("WARNING", settings.log_format)
    point_at_api(settings)
    findings = asyncio.run(examine(settings))
    print(render(findings))
    if healthy(findings):
        print("All checks passed.")
        return 0
    print("Some checks failed; each FAIL line says what to do.")
    return 1


def cmd_check_content(args: argparse.Namespace) -> int:
    from bot.content.loader import default_seeds_dir, validate_content

    root = Path(args.path) if args.path else DEFAULT_CONTENT_DIR
    seeds = Path(args.seeds) if args.seeds else default_seeds_dir(root)
    content, problems = validate_content(root, seeds_dir=seeds)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(
        f"Content OK: {len(content.instruments)} self-checks, {len(content.prompts)} prompts, "
        f"{len(content.excerpts)} excerpts from {len(content.sources)} sources, "
        f"{len(content.guides)} discussion guides"
        + ("" if seeds else " (source articles not found; verbatim check skipped)")
    )
    for locale, missing in content.missing_translations.items():
        if not missing:
            print(f"{locale}: complete")
            continue
        print(f"{locale}: {len(missing)} text(s) shown in English until translated, first:")
        for entry in missing[:5]:
            print(f"  {entry}")
    return 0
