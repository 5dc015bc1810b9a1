import hashlib
import hmac

import pytest

from bot.services.privacy import KeyedHasher


@pytest.mark.parametrize("secret", [b"s" * 16, b"0123456789abcdef" * 4, bytes(range(200))])
def test_keys_are_hmac_sha256_of_scope_and_id(secret: bytes) -> None:
    """Keys already stored were made with `hmac.new`; the precomputed states must match it."""
    hasher = KeyedHasher(secret)
    for scope, user in (("block:1", 42), ("selfcheck-history", 4_242_424_242), ("", 0)):
        expected = hmac.new(secret, f"{scope}\x1f{user}".encode(), hashlib.sha256).hexdigest()
        assert hasher.key(scope, user) == expected


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        KeyedHasher(b"short")
