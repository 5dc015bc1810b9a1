"""The e2e fixtures (a real MutualBot on the stand-in, a fake clock) for fault tests."""

from tests.e2e.conftest import clock, sandbox

__all__ = ["clock", "sandbox"]
