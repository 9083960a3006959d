"""Twenty readers at once over Streamlit's own protocol, against one server: no error allowed.

Each reader (bench/load.py, the short walk) opens one page by its URL (together they open every
page), goes to the timeline and changes a filter; the link the app writes is opened in a new
session on the strength page, which downloads the chart's rows as CSV. Every step must finish
without an exception box, error box, failed run or dropped connection, the shared link must carry
the filter, and the server log must stay clean. The times are printed (and are the benchmark's
business, `python -m bench load`), not judged.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from bench.harness import StreamlitServer, app_pages
from bench.load import DOWNLOAD_LOST, FILTER_PAGE, LINK_PAGE, LoadConfig, percentile, run_load
from bench.protocol import StreamlitSession

pytestmark = pytest.mark.protocol_load

READERS = 20


def test_twenty_readers_at_once_see_no_error(app_server: StreamlitServer) -> None:
    offset = app_server.log_size()
    config = LoadConfig(sessions=READERS, walk="short", ramp_s=1.0)
    result = run_load(app_server.base_url, config)

    views = result.page_views
    print(
        f"\n{READERS} readers, {len(views)} page views in {result.wall_s:.1f} s: median "
        f"{percentile(views, 0.5):.2f} s, p95 {percentile(views, 0.95):.2f} s"
    )
    # The one known error, kept apart: Streamlit's cleanup race on downloads made on click,
    # pinned by the strict xfail below. Any other error fails the run.
    lost = [e for e in result.errors if e.startswith(DOWNLOAD_LOST)]
    errors = [e for e in result.errors if not e.startswith(DOWNLOAD_LOST)]
    if lost:
        print(f"downloads lost to Streamlit's cleanup race: {len(lost)}")
    assert not errors, errors

    readers = {step.reader for step in result.steps}
    assert len(readers) == READERS
    kinds = [step.kind for step in result.steps]
    assert kinds.count("filter") == kinds.count("link") == kinds.count("export") == READERS
    visited = {step.page for step in result.steps if step.kind == "visit"}
    assert visited == {page.slug for page in app_pages()}
    assert not app_server.log_problems(offset), app_server.log_text(offset)


async def _download_after_other_runs(url: str, other_runs: int) -> int:
    """HTTP status of a made-on-click download fetched after another reader's page ran
    ``other_runs`` times between the server making the file and the browser asking for it."""
    reader, other = StreamlitSession(url), StreamlitSession(url)
    try:
        await reader.open(LINK_PAGE)
        await other.open()
        run = await reader.run(path=LINK_PAGE)
        await other.run(path="")
        button = next(b for b in run.widgets("download_button") if b.deferred_file_id)
        request = BackMsg()
        request.backend_operation_request.request_id = str(uuid.uuid4())
        request.backend_operation_request.session_id = reader.session_id
        request.backend_operation_request.deferred_file.file_id = button.deferred_file_id
        await reader.send(request)
        while True:
            answer = await reader.receive(time.monotonic() + 60)
            if answer.WhichOneof("type") == "backend_operation_response":
                break
        for _ in range(other_runs):
            await other.run()
        path = answer.backend_operation_response.deferred_file.url
        return (await reader.get(url + path)).status_code
    finally:
        await reader.close()
        await other.close()


@pytest.mark.xfail(
    strict=True,
    reason="Streamlit 1.67 keeps a file made by a download button's callable for no session: "
    "remove_orphaned_files, run at the end of every script run of every session, marks it on "
    "the first run and deletes it on the second, so under load a reader's download can be gone "
    "before the browser fetches it (HTTP 404). When this passes, the race is fixed: drop this "
    "xfail and the DOWNLOAD_LOST exemption above.",
)
def test_a_download_survives_two_runs_of_another_reader(app_server: StreamlitServer) -> None:
    assert asyncio.run(_download_after_other_runs(app_server.base_url, 1)) == 200
    assert asyncio.run(_download_after_other_runs(app_server.base_url, 2)) == 200


def test_the_filter_page_and_link_page_exist() -> None:
    """The walk names pages by file; a renamed page must fail here, not skip a step."""
    slugs = {page.slug for page in app_pages()}
    assert {FILTER_PAGE, LINK_PAGE} <= slugs
