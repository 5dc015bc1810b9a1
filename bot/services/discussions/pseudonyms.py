"""Friendly pseudonyms from keyed hashes: stable inside one discussion, unrelated across them.

The hash is HMAC(secret, "discussion:<id>" + user id), so the same member gets the same name for
the whole discussion and a different one in the next, and the name alone leads back to no one.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import _

# Stored with every pseudonym as it was given; shown in the reader's language by `shown`.
PREFIX = "Anonymous member · "

ADJECTIVES: tuple[str, ...] = (
    "Quiet",
    "Gentle",
    "Bright",
    "Steady",
    "Curious",
    "Patient",
    "Warm",
    "Calm",
    "Brave",
    "Kind",
    "Thoughtful",
    "Hopeful",
    "Soft",
    "Honest",
    "Tender",
    "Open",
    "Wise",
    "Careful",
    "Playful",
    "Clear",
    "Mellow",
    "Lively",
    "Earnest",
    "Serene",
    "Humble",
    "Sunny",
    "Misty",
    "Amber",
    "Silver",
    "Golden",
    "Velvet",
    "Rustling",
    "Wandering",
    "Listening",
    "Dreaming",
    "Rising",
    "Resting",
    "Sturdy",
    "Nimble",
    "Cosy",
    "Grounded",
    "Spirited",
    "Graceful",
    "Radiant",
    "Peaceful",
    "Friendly",
    "Blooming",
    "Drifting",
    "Glowing",
    "Hushed",
    "Dappled",
    "Crisp",
    "Breezy",
    "Shining",
    "Tranquil",
    "Merry",
    "Faithful",
    "Hardy",
    "Lucid",
    "Nestled",
    "Rooted",
    "Starlit",
    "Sincere",
    "Willowy",
)
ANIMALS: tuple[str, ...] = (
    "Heron",
    "Otter",
    "Fox",
    "Wren",
    "Badger",
    "Hare",
    "Owl",
    "Finch",
    "Robin",
    "Deer",
    "Lynx",
    "Seal",
    "Sparrow",
    "Swan",
    "Beaver",
    "Kestrel",
    "Marten",
    "Plover",
    "Puffin",
    "Raven",
    "Stork",
    "Thrush",
    "Vole",
    "Falcon",
    "Lark",
    "Moth",
    "Newt",
    "Panda",
    "Quail",
    "Salmon",
    "Tortoise",
    "Whale",
    "Dolphin",
    "Koala",
    "Lemur",
    "Magpie",
    "Nightjar",
    "Osprey",
    "Pelican",
    "Crane",
    "Dormouse",
    "Egret",
    "Gecko",
    "Hedgehog",
    "Ibis",
    "Jay",
    "Kingfisher",
    "Llama",
    "Meerkat",
    "Narwhal",
    "Oriole",
    "Penguin",
    "Starling",
    "Squirrel",
    "Toucan",
    "Walrus",
    "Yak",
    "Zebra",
    "Bison",
    "Curlew",
    "Dove",
    "Elk",
    "Gannet",
    "Moose",
)


def candidates(asker_key: str) -> Iterable[str]:
    """Names derived from successive slices of the hex hash, best first."""
    for start in range(0, len(asker_key) - 3, 4):
        value = int(asker_key[start : start + 4], 16)
        adjective = ADJECTIVES[(value >> 6) % len(ADJECTIVES)]
        animal = ANIMALS[value % len(ANIMALS)]
        yield f"{PREFIX}{adjective} {animal}"
    # 16 collisions in a row would need far more askers than names; still, never fail.
    yield f"{PREFIX}{asker_key[:6]}"


def pseudonym_for(asker_key: str, taken: dict[str, str]) -> str:
    """The asker's name in this discussion: the one already used, else the first one free.

    `taken` maps asker keys to names already given in the same discussion, so two people never
    share a name there; a returning asker keeps theirs.
    """
    if asker_key in taken:
        return taken[asker_key]
    used = set(taken.values())
    for name in candidates(asker_key):
        if name not in used:
            return name
    return f"{PREFIX}{asker_key[:12]}"


def short_name(pseudonym: str) -> str:
    return pseudonym.removeprefix(PREFIX)


def shown(pseudonym: str) -> str:
    """The pseudonym as members read it: "Anonymous member · Quiet Heron" in their language.
    The two words stay as given, like a name."""
    if not pseudonym.startswith(PREFIX):
        return pseudonym
    return _("Anonymous member · {name}").format(name=short_name(pseudonym))
