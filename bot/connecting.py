"""Logging in to Discord patiently, and saying in one line why it could not be done.

discord.py retries a few 5xx answers itself and then raises; a Discord incident or a network
that is not up yet (a server just booted) would end the process with a traceback. Login is tried
again with growing pauses; a refused token is never retried, since trying again cannot help.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import aiohttp
import discord

log = logging.getLogger(__name__)

LOGIN_PAUSES: Sequence[float] = (2.0, 5.0, 10.0, 20.0, 40.0)


class DiscordUnreachableError(RuntimeError):
    """Discord could not be reached, or kept failing, through every login attempt."""


def _passing(error: BaseException) -> str | None:
    """Why a failure may pass by itself (Discord busy or down, network not up); None if not."""
    if isinstance(error, discord.HTTPException):
        if error.status == 429 or error.status >= 500:
            return f"Discord answered {error.status}"
        return None
    if isinstance(error, aiohttp.ClientError | OSError | TimeoutError):
        return f"cannot connect ({error.__class__.__name__}: {error})"
    return None


async def login_patiently(
    client: discord.Client, token: str, pauses: Sequence[float] | None = None
) -> None:
    """`client.login`, tried again after each pause while the failure may pass by itself."""
    pauses = LOGIN_PAUSES if pauses is None else pauses
    for attempt in range(len(pauses) + 1):
        try:
            await client.login(token)
            return
        except discord.LoginFailure:
            raise
        except Exception as error:
            why = _passing(error)
            if why is None:
                raise
            if attempt == len(pauses):
                raise DiscordUnreachableError(
                    f"Could not log in to Discord after {attempt + 1} tries: {why}. Check the "
                    "network and https://discordstatus.com, then start Mutual again."
                ) from None
            log.warning("Login failed (%s); trying again in %g s", why, pauses[attempt])
            await _fresh_session(client)
            await asyncio.sleep(pauses[attempt])


async def _fresh_session(client: discord.Client) -> None:
    """Each login opens a new HTTP session; close the failed one (and its connector, which it
    owns) so nothing leaks, and let the next login build both again."""
    await client.http.close()
    client.http.connector = discord.utils.MISSING
