from __future__ import annotations

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.content import Content, load_content


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(DEFAULT_CONTENT_DIR)
