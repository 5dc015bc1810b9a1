"""Every change to a schedule re-arms the timer from the service itself, whichever caller made it."""

from bot.content import Content
from bot.db import Database
from bot.services.prompts.manage import PromptSchedules
from tests.services.prompts.test_latest_posted import NOW, FakeClock, content, db

__all__ = ["content", "db"]


async def test_each_change_to_a_schedule_rearms_the_timer(db: Database, content: Content) -> None:
    rearmed: list[str] = []

    async def rearm() -> None:
        rearmed.append("rearm")

    schedules = PromptSchedules(db, content, FakeClock(NOW), rearm)
    steps = [
        lambda: schedules.setup(1, 10, "09:00", "Europe/Berlin", None,
                                use_thread=False, pin=False, with_excerpt=False),
        lambda: schedules.setup(1, 11, "18:00", "Europe/Berlin", "weekends", use_thread=False,
                                pin=False, with_excerpt=False, name="weekend"),
        lambda: schedules.pause(1, None, "weekend"),
        lambda: schedules.resume(1, "weekend"),
        lambda: schedules.skip(1),
        lambda: schedules.claim_now(1, "weekend"),
        lambda: schedules.remove(1, "weekend"),
        lambda: schedules.off(1),
    ]  # fmt: skip
    for number, step in enumerate(steps, start=1):
        before = len(rearmed)
        await step()
        assert len(rearmed) > before, f"step {number} left the alarm where it was"
