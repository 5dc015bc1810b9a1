"""Daily reflection prompts: schedule math, rotation, the timer source and moderator actions."""
