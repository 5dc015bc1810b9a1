"""Command line: `python -m bot [run|sync|doctor|check-content|backup|rotate-secret|forget-user|
forget-guild|sandbox]`.

Every command ends with one line on a problem an operator can fix (a damaged database, a refused
token, Discord out of reach); a traceback is kept for what is a bug. The commands live in
`bot/cli/`; this module only parses and dispatches.
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.checks import cmd_check_content, cmd_doctor
from bot.cli.data import cmd_backup, cmd_forget, cmd_rotate_secret
from bot.cli.failures import known_failure
from bot.cli.running import cmd_run, cmd_sandbox, cmd_sync

log = logging.getLogger("bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Mutual, a peer-support bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord (the default)").set_defaults(func=cmd_run)
    sync = sub.add_parser("sync", help="publish the slash commands to Discord")
    sync.add_argument("--guild", type=int, help="sync to one server only, instantly (development)")
    sync.set_defaults(func=cmd_sync)
    doctor = sub.add_parser(
        "doctor", help="check settings, token, commands, permissions, database and content"
    )
    doctor.set_defaults(func=cmd_doctor)
    check = sub.add_parser("check-content", help="validate everything under content/")
    check.add_argument("--path", help="content folder (default: the project's content/)")
    check.add_argument("--seeds", help="folder of source articles for the verbatim check")
    check.set_defaults(func=cmd_check_content)
    backup = sub.add_parser("backup", help="online, consistent copy of the database")
    backup.add_argument("path", help="where to write the copy (must not exist)")
    backup.set_defaults(func=cmd_backup)
    rotate = sub.add_parser(
        "rotate-secret", help="start a new hashing secret, dropping the data keyed with the old"
    )
    rotate.add_argument("--yes", action="store_true", help="do it (without: only say what)")
    rotate.set_defaults(func=cmd_rotate_secret)
    forget_user = sub.add_parser(
        "forget-user", help="delete everything kept about one member, in every server, now"
    )
    forget_user.add_argument("id", type=int, help="the member's Discord user id")
    forget_user.set_defaults(func=cmd_forget)
    forget_guild = sub.add_parser("forget-guild", help="delete everything kept for a server, now")
    forget_guild.add_argument("id", type=int, help="the server's Discord id")
    forget_guild.set_defaults(func=cmd_forget)
    sandbox = sub.add_parser("sandbox", help="try Mutual locally with a stand-in for Discord")
    sandbox.add_argument("--script", help="play a scripted walk-through and exit")
    sandbox.set_defaults(func=cmd_sandbox)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func = getattr(args, "func", cmd_run)
    try:
        return int(func(args))
    except Exception as error:
        line = known_failure(error)
        if line is None:
            raise
        if logging.getLogger().handlers:
            log.error("%s", line)
        else:
            print(line, file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
