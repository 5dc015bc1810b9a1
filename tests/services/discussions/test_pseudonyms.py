from bot.services.discussions.pseudonyms import PREFIX, candidates, pseudonym_for, short_name
from bot.services.discussions.questions import discussion_scope
from bot.services.privacy import KeyedHasher

HASHER = KeyedHasher(b"k" * 32)


def test_same_member_same_discussion_gets_the_same_name() -> None:
    key = HASHER.key(discussion_scope(7), 42)
    assert pseudonym_for(key, {}) == pseudonym_for(HASHER.key(discussion_scope(7), 42), {})
    assert pseudonym_for(key, {}).startswith(PREFIX)


def test_names_differ_across_discussions_for_most_members() -> None:
    differ = sum(
        pseudonym_for(HASHER.key(discussion_scope(1), user), {})
        != pseudonym_for(HASHER.key(discussion_scope(2), user), {})
        for user in range(200)
    )
    assert differ >= 195


def test_a_returning_asker_keeps_their_name_and_collisions_get_the_next_candidate() -> None:
    key = HASHER.key(discussion_scope(3), 1)
    first = next(iter(candidates(key)))
    taken = {"someone-else": first}
    second = pseudonym_for(key, taken)
    assert second != first and second.startswith(PREFIX)
    assert pseudonym_for(key, {key: "Anonymous member · Kept"}) == "Anonymous member · Kept"


def test_the_name_carries_no_digits_of_the_member_id() -> None:
    user_id = 123456789012345678
    name = pseudonym_for(HASHER.key(discussion_scope(9), user_id), {})
    assert str(user_id) not in name
    assert " " in short_name(name) and not short_name(name).startswith("Anonymous")
