"""Database URLs: checked when settings load, and shown only without their password."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql", "postgres")


def redacted(url: str) -> str:
    """The URL without its password, for logs, errors and `doctor`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit((parts.scheme, f"{user}{host}", parts.path, parts.query, parts.fragment))


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a PostgreSQL URL, in words that never repeat its password; or None."""
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        return f"it is not a valid URL ({str(exc).split(':')[0]})"
    if parts.scheme not in SCHEMES:
        return (
            "it must start with postgresql:// (for example postgresql://mutual@db.example/mutual)"
        )
    if not parts.hostname and "host=" not in parts.query:
        return "it names no server (postgresql://USER@HOST:PORT/DATABASE)"
    if port is not None and not 0 < port < 65536:
        return "its port must be from 1 to 65535"
    if not parts.path.strip("/"):
        return "it names no database (the part after the last /)"
    return None
