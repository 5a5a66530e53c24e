"""End-to-end tests proving tests.discord_fake works with the real discord.py client."""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.discord_fake import (
    CUSTOMER,
    EPHEMERAL,
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    PRIVATE_THREAD,
    QUEUE_CHANNEL_ID,
    STAFF,
    STAFF_ROLE_ID,
    SUPPORT_CATEGORY_ID,
    FakeDiscord,
    pointed_at,
    run_client,
)

CLOSE_BUTTON = {"type": 2, "style": 4, "label": "Close ticket", "custom_id": "ticket:close"}


class Support(app_commands.Group):
    """The /support command group."""

    @app_commands.command(name="claim", description="Claim a ticket")
    async def claim(self, interaction: discord.Interaction, ticket: int) -> None:
        """Answer privately with who claimed which ticket."""
        user = interaction.user
        role = user.top_role.name if isinstance(user, discord.Member) else "no role"
        text = f"#{ticket} claimed by {user.name} ({role})"
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="note", description="Add a note to a ticket")
    async def note(self, interaction: discord.Interaction, text: str) -> None:
        """Defer (thinking), then edit the original response."""
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content=f"noted: {text}")


class TicketView(discord.ui.View):
    """A persistent view with a close button."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(
        label="Close ticket", style=discord.ButtonStyle.danger, custom_id="ticket:close"
    )
    async def close_ticket(
        self, interaction: discord.Interaction, button: discord.ui.Button[TicketView]
    ) -> None:
        """Edit the ticket message, then tell the clicker privately."""
        await interaction.response.edit_message(content="Ticket closed", view=None)
        await interaction.followup.send("You closed the ticket", ephemeral=True)


class Recorder(discord.Client):
    """A client that records others' messages, READYs and RESUMEDs."""

    def __init__(self, intents: discord.Intents) -> None:
        super().__init__(intents=intents, guild_ready_timeout=0.05)
        self.seen: list[discord.Message] = []
        self.ready_count = 0
        self.resumed_count = 0

    async def on_ready(self) -> None:
        """Count READY completions."""
        self.ready_count += 1

    async def on_resumed(self) -> None:
        """Count RESUMED events."""
        self.resumed_count += 1

    async def on_message(self, message: discord.Message) -> None:
        """Record others' messages."""
        if message.author != self.user:
            self.seen.append(message)


class SupportClient(Recorder):
    """A small bot: echoes DMs, has /support claim|note and a persistent ticket view."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents)
        self.tree = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        """Register the persistent view and sync the guild commands."""
        guild = discord.Object(GUILD_ID)
        self.add_view(TicketView())
        self.tree.add_command(Support(name="support", description="Support desk"), guild=guild)
        await self.tree.sync(guild=guild)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Skip discord.py's 5 s pause before a re-IDENTIFY."""

    async def on_message(self, message: discord.Message) -> None:
        """Record others' messages and answer DMs."""
        await super().on_message(message)
        if message.author != self.user and message.guild is None:
            await message.channel.send(
                f"echo: {message.content}",
                embed=discord.Embed(title="Support"),
                allowed_mentions=discord.AllowedMentions.none(),
            )


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[SupportClient]:
    client = SupportClient()
    async with run_client(client, fake):
        yield client


def text_channel(client: discord.Client, channel_id: int) -> discord.TextChannel:
    """Return a cached text channel."""
    channel = client.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    return channel


async def test_client_gets_ready_with_the_guild(fake: FakeDiscord, bot: SupportClient) -> None:
    guild = bot.get_guild(GUILD_ID)
    assert guild is not None
    assert guild.name == "Support Test Guild"
    assert bot.user is not None
    assert bot.user.id == fake.bot_user.id
    assert bot.application_id == fake.application_id
    category = guild.get_channel(SUPPORT_CATEGORY_ID)
    assert isinstance(category, discord.CategoryChannel)
    assert text_channel(bot, QUEUE_CHANNEL_ID).category == category
    staff_role = guild.get_role(STAFF_ROLE_ID)
    assert staff_role is not None
    assert staff_role.name == "Support Staff"
    assert bot.ready_count == 1
    [identify] = fake.frames(2)
    assert identify["d"]["intents"] == bot.intents.value
    url = fake.gateway_connections[0]
    assert (url.path, url.query["v"], url.query["encoding"]) == ("/gateway", "10", "json")


async def test_dm_reaches_on_message_and_reply_is_recorded(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    dm = fake.dm_channel(CUSTOMER)
    await fake.message_create(dm, CUSTOMER, "where is my order?")
    [reply] = await fake.wait_for(lambda: fake.sent_messages(dm))
    assert reply["content"] == "echo: where is my order?"
    assert reply["embeds"][0]["title"] == "Support"
    assert reply["allowed_mentions"]["parse"] == []
    [message] = bot.seen
    assert isinstance(message.channel, discord.DMChannel)
    assert message.guild is None
    assert message.author.id == CUSTOMER.id


async def test_slash_subcommand_gets_an_ephemeral_answer(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    [command] = fake.commands(GUILD_ID)
    assert command["name"] == "support"
    assert sorted(o["name"] for o in command["options"]) == ["claim", "note"]
    interaction = await fake.slash_command(
        "support claim", user=STAFF, channel_id=QUEUE_CHANNEL_ID, options={"ticket": 42}
    )
    iid = int(interaction["id"])
    [response] = await fake.wait_for(lambda: fake.interaction_responses(iid))
    assert response.type == 4
    assert response.flags == EPHEMERAL
    assert response.content == "#42 claimed by sam (Support Staff)"


async def test_deferred_command_edits_its_original_response(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    interaction = await fake.slash_command(
        "support note", user=STAFF, channel_id=QUEUE_CHANNEL_ID, options={"text": "refund"}
    )
    iid = int(interaction["id"])
    await fake.wait_for(lambda: (fake.original_response(iid) or {}).get("content"))
    [response] = fake.interaction_responses(iid)
    assert response.type == 5
    original = fake.original_response(iid)
    assert original is not None
    assert original["content"] == "noted: refund"


async def test_persistent_view_answers_a_button_click(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    row = {"type": 1, "components": [CLOSE_BUTTON]}
    ticket = fake.add_message(QUEUE_CHANNEL_ID, fake.bot_user, "Ticket #7", components=[row])
    interaction = await fake.button_click(int(ticket["id"]), "ticket:close", user=STAFF)
    iid = int(interaction["id"])
    [followup] = await fake.wait_for(lambda: fake.followups(iid))
    [response] = fake.interaction_responses(iid)
    assert (response.type, response.content) == (7, "Ticket closed")
    assert response.data["components"] == []
    assert fake.message(int(ticket["id"]))["content"] == "Ticket closed"
    assert followup["content"] == "You closed the ticket"
    assert followup["flags"] & EPHEMERAL


async def test_private_thread_is_created_with_a_member(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    thread = await text_channel(bot, QUEUE_CHANNEL_ID).create_thread(
        name="ticket-7", type=discord.ChannelType.private_thread, invitable=False
    )
    await thread.add_user(discord.Object(CUSTOMER.id))
    await thread.send("Hi Alice, a human will be with you shortly.")
    [record] = fake.threads()
    assert record["type"] == PRIVATE_THREAD
    assert record["parent_id"] == str(QUEUE_CHANNEL_ID)
    assert record["thread_metadata"]["invitable"] is False
    assert fake.thread_members(thread.id) == [fake.bot_user.id, CUSTOMER.id]
    assert [m["content"] for m in fake.sent_messages(thread.id)] == [
        "Hi Alice, a human will be with you shortly."
    ]
    cached = await fake.wait_for(lambda: bot.get_channel(thread.id))
    assert isinstance(cached, discord.Thread)
    assert cached.type is discord.ChannelType.private_thread


async def test_rate_limited_send_is_retried_once(fake: FakeDiscord, bot: SupportClient) -> None:
    path = f"/channels/{GENERAL_CHANNEL_ID}/messages"
    fake.rate_limit("POST", path, times=1, retry_after=0.2)
    started = time.monotonic()
    sent = await text_channel(bot, GENERAL_CHANNEL_ID).send("hello after a 429")
    assert time.monotonic() - started >= 0.2
    assert [c.status for c in fake.calls_to("POST", path)] == [429, 200]
    assert [m["id"] for m in fake.sent_messages(GENERAL_CHANNEL_ID)] == [str(sent.id)]


async def test_dropped_connection_resumes_without_duplicates(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    await fake.message_create(GENERAL_CHANNEL_ID, CUSTOMER, "before the drop")
    await fake.wait_for(lambda: len(bot.seen) == 1)
    async with fake.connection_dropped():
        await fake.message_create(GENERAL_CHANNEL_ID, CUSTOMER, "while away")
    await fake.wait_for(lambda: bot.resumed_count == 1)
    await fake.message_create(GENERAL_CHANNEL_ID, CUSTOMER, "after the resume")
    await fake.wait_for(lambda: bot.ws is not None and bot.ws.sequence == fake.last_seq())
    await fake.wait_for(lambda: len(bot.seen) >= 3)
    assert [m.content for m in bot.seen] == ["before the drop", "while away", "after the resume"]
    assert [f["d"]["content"] for f in fake.replayed] == ["while away"]
    assert (len(fake.frames(2)), len(fake.frames(6))) == (1, 1)
    assert fake.gateway_connections[-1].path == "/gateway/resume"


async def test_invalid_session_makes_the_client_identify_again(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    fake.invalidate_sessions()
    await fake.drop_connection()
    await fake.wait_for(lambda: bot.ready_count == 2)
    assert fake.invalid_sessions == 1
    assert (len(fake.frames(2)), len(fake.frames(6))) == (2, 1)
    await fake.message_create(GENERAL_CHANNEL_ID, CUSTOMER, "still there?")
    await fake.wait_for(lambda: bot.seen)


async def test_unknown_route_answers_404_and_is_recorded(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(Route("GET", "/guilds/{guild_id}/bans", guild_id=GUILD_ID))
    [call] = fake.unhandled
    assert (call.method, call.path, call.status) == ("GET", f"/guilds/{GUILD_ID}/bans", 404)


async def test_wrong_token_fails_login(fake: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()


async def test_pointed_at_restores_discord_py_defaults() -> None:
    before = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord() as other:
        with pointed_at(other):
            assert other.api_base == Route.BASE
            assert str(DiscordWebSocket.DEFAULT_GATEWAY) == other.gateway_url
    assert before == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


async def test_file_upload_is_read_from_multipart(fake: FakeDiscord, bot: SupportClient) -> None:
    upload = discord.File(io.BytesIO(b"order 1234"), filename="invoice.txt")
    sent = await text_channel(bot, GENERAL_CHANNEL_ID).send("your invoice", file=upload)
    [call] = fake.calls_to("POST", f"/channels/{GENERAL_CHANNEL_ID}/messages")
    assert (call.body["content"], call.files) == ("your invoice", ["invoice.txt"])
    assert [a.filename for a in sent.attachments] == ["invoice.txt"]


async def test_request_reconnect_makes_the_client_resume(
    fake: FakeDiscord, bot: SupportClient
) -> None:
    await fake.request_reconnect()
    await fake.wait_for(lambda: bot.resumed_count == 1)
    assert (len(fake.frames(2)), len(fake.frames(6))) == (1, 1)


async def test_guild_content_needs_the_message_content_intent(fake: FakeDiscord) -> None:
    async with run_client(Recorder(discord.Intents.default()), fake) as client:
        assert isinstance(client, Recorder)
        await fake.message_create(GENERAL_CHANNEL_ID, CUSTOMER, "secret in a guild")
        await fake.message_create(fake.dm_channel(CUSTOMER), CUSTOMER, "visible in a DM")
        await fake.wait_for(lambda: len(client.seen) == 2)
    assert [m.content for m in client.seen] == ["", "visible in a DM"]


async def test_members_intent_gets_members_chunked(fake: FakeDiscord) -> None:
    intents = discord.Intents.default()
    intents.members = True
    async with run_client(Recorder(intents), fake) as client:
        guild = client.get_guild(GUILD_ID)
        assert guild is not None
        staff = guild.get_member(STAFF.id)
        assert staff is not None
        assert [r.name for r in staff.roles] == ["@everyone", "Support Staff"]
        assert len(guild.members) == 3
    assert fake.frames(8)  # discord.py asked for the member chunk (op 8)
