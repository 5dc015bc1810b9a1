import pytest

# Helper modules shared by the e2e tests assert too; let pytest explain their failures.
pytest.register_assert_rewrite(
    "tests.e2e.helpers", "tests.e2e.discussions_support", "tests.e2e.selfcheck_support"
)
