"""People using the test bot through the stand-in: commands, autocomplete, buttons, modals."""

from __future__ import annotations

from standin.harness import Sandbox


async def test_ping_is_answered(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("ping")
    assert reply.acknowledged and reply.type == 4
    assert reply.content == "pong"
    assert not reply.ephemeral
    assert reply.channel_name == "general"
    assert sandbox.messages_in("general")[-1].content == "pong"


async def test_subcommand_with_channel_option_and_buttons(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    reply = await alice.slash(
        "selfcheck start", instrument="healthy-dependence", channel="reflections"
    )
    assert reply.content == "healthy-dependence in reflections"
    assert reply.ephemeral
    assert reply.labels() == ["Often", "Write more", "Later", "How do you feel?"]
    clicked = await alice.click(reply, "Often")
    assert clicked.type == 7
    assert clicked.content == "You said: often"
    assert clicked.message_id == reply.message_id


async def test_subcommand_group_resolves_member_and_role(sandbox: Sandbox) -> None:
    reply = await sandbox.person("mod").slash("mod roles grant", member="alice", role="Facilitator")
    assert reply.content == "alice gets Facilitator"


async def test_autocomplete_offers_matching_choices(sandbox: Sandbox) -> None:
    choices = await sandbox.person("alice").autocomplete("selfcheck start", "instrument", "heal")
    assert [c["value"] for c in choices] == ["healthy-dependence"]


async def test_select_and_modal_from_a_button(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    reply = await alice.slash("selfcheck start", instrument="hope")
    mood = await alice.select(reply, "How do you feel?", ["Tense"])
    assert mood.content == "mood: tense"
    modal = await alice.click(reply, "Write more")
    assert modal.type == 9 and modal.modal is not None
    assert modal.modal["title"] == "Share a thought"
    done = await alice.submit_modal(modal, {"Your thought": "a calm day", "extra": "none"})
    assert done.content == "thanks: a calm day / none"
    assert done.ephemeral


async def test_modal_from_a_command(sandbox: Sandbox) -> None:
    bob = sandbox.person("bob")
    modal = await bob.slash("feedback")
    done = await bob.submit_modal(modal, {"thought": "hello"})
    assert done.content == "thanks: hello / -"


async def test_deferred_answer_with_followup(sandbox: Sandbox) -> None:
    reply = await sandbox.person("alice").slash("slow")
    assert reply.type == 5
    assert reply.content == "done thinking after first words"
    assert [m.content for m in reply.followups] == ["an edited followup", "never mind"]
    assert reply.followups[1].deleted
    shown = [m.content for m in sandbox.messages_in("general")]
    assert shown == [reply.content, "an edited followup"]


async def test_command_in_a_dm(sandbox: Sandbox) -> None:
    reply = await sandbox.person("bob").slash("ping", dm=True)
    assert reply.content == "pong"
    assert sandbox.dms_with("bob")[-1].content == "pong"


async def test_threads_pins_and_forum_posts(sandbox: Sandbox) -> None:
    reply = await sandbox.person("mod").slash("discuss", topic="boundaries")
    thread_id, post_id = (int(x) for x in reply.content.split())
    thread = sandbox.world.channels[thread_id]
    starter = sandbox.messages_in("general")[-1]
    assert thread.id == starter.id and starter.pinned
    assert thread.locked and thread.archived
    assert [m.content for m in sandbox.messages_in(thread)] == ["Say hello"]
    post = sandbox.threads_in("discussions")[0]
    assert post.id == post_id and post.name == "boundaries"
    assert sandbox.messages_in(post)[0].id == post.id


async def test_deferred_update_then_edit_original(sandbox: Sandbox) -> None:
    alice = sandbox.person("alice")
    reply = await alice.slash("selfcheck start", instrument="hope")
    later = await alice.click(reply, "Later")
    assert later.type == 6
    assert later.message_id == reply.message_id
    assert reply.content == "updated later"


async def test_mentions_follow_allowed_mentions(sandbox: Sandbox) -> None:
    alice = sandbox.world.user_named("alice")
    await sandbox.person("mod").slash("post", target="general", text=f"hi <@{alice.id}> @everyone")
    pinged = sandbox.messages_in("general")[-1]
    assert [u["username"] for u in pinged.mentions] == ["alice"] and pinged.mention_everyone
    await sandbox.person("mod").slash("relay", text=f"hi <@{alice.id}> @everyone")
    quiet = sandbox.messages_in("general")[-1]
    assert quiet.mentions == [] and not quiet.mention_everyone
