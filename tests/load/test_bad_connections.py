"""Bad and dropped connections while readers work: the server keeps serving the others.

While six readers go through their walk (bench/load.py, short walk), other clients misbehave,
three times over: a tab that dies while its page runs (the socket dropped with no close frame),
one that dies between pages, a client that sends bytes that are not a protobuf message, one that
sends a text frame (Streamlit speaks binary frames only), and one that stops halfway through the
websocket handshake. The readers must see no error, the server must close each bad socket itself,
and afterwards answer its health check and serve a new reader through every page.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import websockets

from bench.harness import StreamlitServer, app_pages
from bench.load import DOWNLOAD_LOST, FILTER_PAGE, LoadConfig, LoadResult, drive
from bench.protocol import STREAM_PATH, SUBPROTOCOL, StreamlitSession

pytestmark = pytest.mark.protocol_load

READERS = 6
ROUNDS = 3
GAP_S = 1.5  # between rounds of misbehaviour, while the readers work
# Not a protobuf message whatever follows: the first tag has wire type 7, which does not exist.
# (Random bytes would sometimes parse, as a request to clear the caches, for instance.)
NOT_A_BACKMSG = b"\x0f" + bytes(range(64))


@dataclass
class Damage:
    """What the misbehaving clients did, and how the server answered the bad frames."""

    dropped: int = 0
    close_codes: list[int | None] = field(default_factory=list)
    half_handshakes: int = 0


async def drop_while_running(url: str, page: str, damage: Damage) -> None:
    """Ask for a page and drop the socket as soon as its script has started."""
    session = StreamlitSession(url)
    await session.open(page)
    request_done = asyncio.create_task(session.run(path=page))
    while not session.session_id and not request_done.done():
        await asyncio.sleep(0.01)  # new_session: the script is running
    session.abort()
    request_done.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await request_done
    damage.dropped += 1
    await session.close()


async def drop_between_pages(url: str, damage: Damage) -> None:
    session = StreamlitSession(url)
    await session.open()
    await session.run(path="")
    session.abort()
    damage.dropped += 1
    await session.close()


async def send_bad_frame(url: str, frame: bytes | str, damage: Damage) -> None:
    """Open the stream as the frontend does, send one bad frame, record the server's close."""
    parts = urlsplit(url)
    async with websockets.connect(
        f"ws://{parts.netloc}{STREAM_PATH}",
        subprotocols=[websockets.Subprotocol(SUBPROTOCOL)],
        proxy=None,
        open_timeout=60,
    ) as ws:
        await ws.send(frame)
        with contextlib.suppress(websockets.exceptions.ConnectionClosed):
            async with asyncio.timeout(60):
                while True:  # the new session's messages, until the server closes
                    await ws.recv()
        damage.close_codes.append(ws.close_code)


async def half_handshake(url: str, damage: Damage) -> None:
    """Start a websocket handshake over a raw socket and hang up in the middle of it."""
    parts = urlsplit(url)
    _, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(
        f"GET {STREAM_PATH} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n".encode()
    )
    await writer.drain()
    writer.transport.abort()
    damage.half_handshakes += 1


async def misbehave(url: str, damage: Damage) -> None:
    for _ in range(ROUNDS):
        await asyncio.sleep(GAP_S)
        await asyncio.gather(
            drop_while_running(url, FILTER_PAGE, damage),
            drop_between_pages(url, damage),
            send_bad_frame(url, NOT_A_BACKMSG, damage),
            send_bad_frame(url, "not a protobuf message", damage),
            half_handshake(url, damage),
        )


async def scenario(url: str) -> tuple[LoadResult, Damage]:
    damage = Damage()
    config = LoadConfig(sessions=READERS, walk="short", ramp_s=2.0)
    result, _ = await asyncio.gather(drive(url, config), misbehave(url, damage))
    return result, damage


def test_bad_and_dropped_connections_leave_the_other_readers_served(
    app_server: StreamlitServer,
) -> None:
    result, damage = asyncio.run(scenario(app_server.base_url))
    print(f"\nclose codes for the bad frames: {damage.close_codes}")

    errors = [e for e in result.errors if not e.startswith(DOWNLOAD_LOST)]  # see test_protocol_load
    assert not errors, errors
    assert len({step.reader for step in result.steps}) == READERS
    assert [step.kind for step in result.steps].count("export") == READERS
    assert damage.dropped == 2 * ROUNDS and damage.half_handshakes == ROUNDS
    # The server itself closed every socket that sent a bad frame (none stayed open).
    assert len(damage.close_codes) == 2 * ROUNDS
    assert all(code is not None for code in damage.close_codes), damage.close_codes

    # Afterwards: alive, healthy, and a new reader gets through every page.
    assert app_server.process is not None and app_server.process.poll() is None
    app_server.wait_healthy(timeout=30)
    after = asyncio.run(drive(app_server.base_url, LoadConfig(sessions=1)))
    assert not after.errors, after.errors
    visited = {step.page for step in after.steps if step.kind == "visit"}
    assert visited == {page.slug for page in app_pages()}
