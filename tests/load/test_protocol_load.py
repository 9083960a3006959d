"""Twenty readers at once over Streamlit's own protocol while other connections break.

Each reader (bench/load.py, the short walk) opens one page by its URL (together they open every
page), goes to the timeline and changes a filter; the link the app writes is opened in a new
session on the strength page, which downloads the chart's rows as CSV. Meanwhile, three times
over, other clients misbehave: a tab that dies while its page runs (the socket dropped with no
close frame), one that dies between pages, one that sends bytes that are not a protobuf message,
one that sends a text frame (Streamlit speaks binary frames only), and one that hangs up halfway
through the websocket handshake.

The readers must see no error (no exception or error box, failed run, dropped connection), the
shared link must carry the filter, the server must close each bad socket itself, its log must
hold nothing but the bad frames' reports, and afterwards a new reader gets through every page.
The times are printed (they are the benchmark's business, `python -m bench load`), not judged.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import websockets
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from bench.harness import StreamlitServer, app_pages
from bench.load import (
    DOWNLOAD_LOST,
    FILTER_PAGE,
    LINK_PAGE,
    LoadConfig,
    LoadResult,
    drive,
    percentile,
    run_coroutine,
)
from bench.protocol import STREAM_PATH, SUBPROTOCOL, StreamlitSession
from dashboard.ui.downloads import hold_made_downloads, release_made_downloads

pytestmark = pytest.mark.protocol_load

READERS = 20
ROUNDS = 3  # of misbehaviour, GAP_S apart, while the readers work
GAP_S = 2.0
# Not a protobuf message whatever follows: the first tag has wire type 7, which does not exist.
# (Random bytes would sometimes parse, as a request to clear the caches, for instance.)
NOT_A_BACKMSG = b"\x0f" + bytes(range(64))
TEXT_FRAME = "not a protobuf message"
# What the server logs for the bad frames, and nothing else may appear: its own message for a
# frame that does not parse, and (Starlette's KeyError, which Streamlit 1.67 does not catch) an
# unhandled exception for a text frame, after which it closes that socket all the same.
EXPECTED_LOG = re.compile(r"Error deserializing back message|Exception in ASGI application")
EXPECTED_EXCEPTIONS = re.compile(r"google\.protobuf\.message\.DecodeError: |KeyError: 'bytes'$")


@dataclass
class Damage:
    """What the misbehaving clients did, and how the server closed the bad frames' sockets."""

    dropped: int = 0
    close_codes: list[int | None] = field(default_factory=list)
    half_handshakes: int = 0


async def drop_while_running(url: str, page: str, damage: Damage) -> None:
    """Ask for a page and drop the socket as soon as its script has started."""
    session = StreamlitSession(url)
    await session.open(page)
    running = asyncio.create_task(session.run(path=page))
    while not session.session_id and not running.done():
        await asyncio.sleep(0.01)  # new_session arrived: the script is running
    session.abort()
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await running
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
    async with websockets.connect(
        f"ws://{urlsplit(url).netloc}{STREAM_PATH}",
        subprotocols=[websockets.Subprotocol(SUBPROTOCOL)],
        proxy=None,
        open_timeout=60,
    ) as ws:
        await ws.send(frame)
        with contextlib.suppress(websockets.exceptions.ConnectionClosed):
            async with asyncio.timeout(60):
                while True:  # whatever the new session sends, until the server closes
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
            send_bad_frame(url, TEXT_FRAME, damage),
            half_handshake(url, damage),
        )


async def under_attack(url: str) -> tuple[LoadResult, Damage]:
    damage = Damage()
    config = LoadConfig(sessions=READERS, walk="short", ramp_s=1.0)
    result, _ = await asyncio.gather(drive(url, config), misbehave(url, damage))
    return result, damage


def unexpected_log_lines(log: str) -> list[str]:
    """Log lines reporting a problem that the bad frames do not explain.

    A traceback is judged by its last line, the exception (the frames between name files, not
    problems); any other line by ``EXPECTED_LOG``.
    """
    unexpected: list[str] = []
    in_traceback = False
    for line in log.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback:
            if not line.strip() or line.startswith((" ", "During handling", "The above")):
                continue  # a frame, or the link between chained exceptions
            in_traceback = False
            if not EXPECTED_EXCEPTIONS.search(line):
                unexpected.append(line)
        elif re.search(r"Error|Exception|CRITICAL", line) and not EXPECTED_LOG.search(line):
            unexpected.append(line)
    return unexpected


def test_twenty_readers_see_no_error_while_other_connections_break(
    app_server: StreamlitServer,
) -> None:
    offset = app_server.log_size()
    result, damage = run_coroutine(under_attack(app_server.base_url))

    views = result.page_views
    print(
        f"\n{READERS} readers, {len(views)} page views in {result.wall_s:.1f} s: median "
        f"{percentile(views, 0.5):.2f} s, p95 {percentile(views, 0.95):.2f} s; close codes for "
        f"the bad frames: {damage.close_codes}"
    )
    # No error at all: a download made on click is held for its reader (dashboard.ui.downloads),
    # so Streamlit's cleanup race (pinned below) loses none.
    assert not result.errors, result.errors
    assert not [e for e in result.errors if e.startswith(DOWNLOAD_LOST)]
    assert len({step.reader for step in result.steps}) == READERS
    kinds = [step.kind for step in result.steps]
    assert kinds.count("filter") == kinds.count("link") == kinds.count("export") == READERS
    visited = {step.page for step in result.steps if step.kind == "visit"}
    assert visited == {page.slug for page in app_pages()}

    assert damage.dropped == 2 * ROUNDS and damage.half_handshakes == ROUNDS
    # the server itself closed every socket that sent a bad frame: none was left open
    assert len(damage.close_codes) == 2 * ROUNDS
    assert all(code is not None for code in damage.close_codes), damage.close_codes
    assert not unexpected_log_lines(app_server.log_text(offset)), app_server.log_text(offset)

    # Afterwards: alive, healthy, and a new reader gets through every page.
    assert app_server.process is not None and app_server.process.poll() is None
    app_server.wait_healthy(timeout=30)
    after = run_coroutine(drive(app_server.base_url, LoadConfig(sessions=1)))
    assert not after.errors, after.errors
    visited = {step.page for step in after.steps if step.kind == "visit"}
    assert visited == {page.slug for page in app_pages()}


def test_the_log_check_flags_what_the_bad_frames_do_not_explain() -> None:
    log = (
        "2026-12-03 20:05:27.842 Error deserializing back message\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in f\n'
        "google.protobuf.message.DecodeError: Error parsing message\n"
        "Traceback (most recent call last):\n"
        '  File "pages/timeline.py", line 9, in <module>\n'
        "ValueError: a page broke\n"
        "2026-12-03 20:05:28.000 Error sending websocket payload\n"
    )
    assert unexpected_log_lines(log) == [
        "ValueError: a page broke",
        "2026-12-03 20:05:28.000 Error sending websocket payload",
    ]


def test_the_walk_names_pages_that_exist() -> None:
    """The walk names its filter and link pages by file: a renamed page fails here."""
    assert {FILTER_PAGE, LINK_PAGE} <= {page.slug for page in app_pages()}


@pytest.fixture
def streamlit_as_shipped() -> Iterator[None]:
    """Streamlit's own download handling, for the tests that pin it (the app holds the files)."""
    release_made_downloads()
    yield
    hold_made_downloads()


def _made_on_click(manager: MediaFileManager) -> str:
    placeholder = manager.add_deferred(lambda: b"a,b\n1,2\n", "text/csv", "1.2.3", "rows.csv")
    url = manager.execute_deferred(placeholder)
    return url.rsplit("/", 1)[1].split(".")[0]


def test_streamlit_loses_a_download_made_on_click_to_two_other_runs(streamlit_as_shipped) -> None:
    """Streamlit 1.67 keeps the file a download button's callable made for no session:
    remove_orphaned_files, which the end of every script run of every session calls, marks it
    on the first call and deletes it on the second. When this fails, Streamlit has fixed the
    race: drop dashboard/ui/downloads.py and its call in app.py."""
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    made = _made_on_click(manager)
    manager.remove_orphaned_files()  # another reader's script run ends
    manager.remove_orphaned_files()  # and another, before the browser's GET arrives
    assert manager.read_file(made) is None


def test_the_app_holds_a_download_made_on_click_for_the_reader_who_clicked() -> None:
    hold_made_downloads()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    made = _made_on_click(manager)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert manager.read_file(made) is not None  # still there for the browser's GET
    manager.clear_session_refs()  # the reader's own next run ends: then it may go
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert manager.read_file(made) is None
