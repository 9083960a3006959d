"""A reader without a browser: Streamlit's own client protocol, spoken from Python.

Streamlit's frontend talks to the server over one websocket, ``/_stcore/stream``, in protobuf
messages shipped with the streamlit package (``streamlit.proto``): the browser sends a
``BackMsg`` (``rerun_script`` with a ``ClientState``: the URL's query string, the page by URL
path or by script hash, the widget values), the server answers with ``ForwardMsg``s
(``new_session`` when a run starts, ``navigation``, ``delta``s that carry the page's elements,
``page_info_changed`` when the script rewrites the query string, ``script_finished``).
Downloads made on click (``st.download_button(data=callable)``) are a ``BackMsg``
``backend_operation_request`` answered by a ``/media/...`` URL that the browser then fetches
over plain HTTP.

``StreamlitSession`` does what the frontend does, with none of the drawing, so one process can
play many readers: the load benchmark (``python -m bench load``) and the protocol-level load
tests use it. It keeps a browser's cookies (a load balancer's sticky-session cookie, set on the
page's HTML, goes with the websocket handshake and the downloads, as a browser sends it) and
sends the same ``Origin`` header a browser would, so the server's checks run as for a reader.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH = "/_stcore/stream"
SUBPROTOCOL = "streamlit"
_FINISHED = ForwardMsg.ScriptFinishedStatus
_RERUN_STATUS = _FINISHED.Value("FINISHED_EARLY_FOR_RERUN")
_STATUS_NAMES = {value: name.lower() for name, value in _FINISHED.items()}


class ProtocolError(Exception):
    """The server closed the connection, answered out of protocol, or took too long."""


@dataclass
class PageRun:
    """One script run as the reader gets it: from the request to the ``script_finished``."""

    seconds: float
    status: str  # "finished_successfully", "finished_with_compile_error", ...
    page_hash: str
    elements: list[Element] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what the reader would see as an error

    def widgets(self, kind: str, label: str | None = None) -> list[Any]:
        """The run's widgets of one kind ("radio", "download_button", ...), by label if given."""
        found = [getattr(e, kind) for e in self.elements if e.WhichOneof("type") == kind]
        return [w for w in found if label is None or w.label == label]


@dataclass
class Download:
    """One file asked for by its download button: the URL the server made, and the fetch."""

    seconds: float
    url: str
    status: int
    size: int


def run_problems(element: Element) -> list[str]:
    """What in one element is an error shown to the reader: an exception box or an error box."""
    kind = element.WhichOneof("type")
    if kind == "exception":
        return [f"exception {element.exception.type}: {element.exception.message}"]
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return [f"error box: {element.alert.body[:200]}"]
    return []


class StreamlitSession:
    """One reader's session on a Streamlit server at ``base_url`` (http://host:port).

    ``open()`` fetches the page's HTML (as a browser does first: it gets the cookies a load
    balancer sets) and opens the websocket; ``run()`` asks for a page and waits until its script
    has finished; ``download()`` asks for a deferred download and fetches the file. Every wait is
    bounded by ``timeout`` seconds. HTTP goes through ``requests`` in a worker thread, so the
    event loop keeps serving the other readers.
    """

    def __init__(self, base_url: str, *, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.http.trust_env = False  # loopback only: never through a proxy from the environment
        # A new connection per request: a kept-alive one can be closed by the server while the
        # reader thinks (uvicorn's keep-alive is 5 s), and requests does not retry as browsers do.
        self.http.headers["Connection"] = "close"
        self.ws: Any = None
        self.session_id = ""
        self.query_string = ""  # the address bar's query string, as the app last wrote it
        self.page_hash = ""  # the page the session is on
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> script hash

    # ---- connection ------------------------------------------------------------------------
    async def open(self, path: str = "", query: str = "") -> None:
        """Load the page's HTML like a browser (cookies), then open the websocket."""
        url = f"{self.base_url}/{path}" + (f"?{query}" if query else "")
        response = await self.get(url)
        if response.status_code != 200:
            raise ProtocolError(f"GET /{path}: HTTP {response.status_code}")
        self.query_string = query
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        try:
            self.ws = await websockets.connect(
                f"{scheme}://{parts.netloc}{STREAM_PATH}",
                subprotocols=[websockets.Subprotocol(SUBPROTOCOL)],
                origin=websockets.Origin(f"{parts.scheme}://{parts.netloc}"),
                additional_headers={"Cookie": cookies} if cookies else None,
                max_size=None,  # a page's elements can exceed websockets' 1 MiB default
                open_timeout=self.timeout,
                proxy=None,
            )
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError) as error:
            raise ProtocolError(f"websocket handshake: {type(error).__name__}: {error}") from error

    async def get(self, url: str) -> requests.Response:
        """An HTTP GET in a worker thread (the event loop keeps serving the other readers)."""
        try:
            return await asyncio.to_thread(self.http.get, url, timeout=self.timeout)
        except requests.RequestException as error:
            raise ProtocolError(f"GET {url}: {type(error).__name__}: {error}") from error

    async def close(self) -> None:
        """Close the websocket cleanly (a close frame, as a tab being closed sends)."""
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 10)
        await asyncio.to_thread(self.http.close)

    def abort(self) -> None:
        """Drop the connection with no close frame, as a crashed browser or a lost network."""
        if self.ws is not None:
            self.ws.transport.abort()

    async def send(self, message: BackMsg) -> None:
        try:
            await self.ws.send(message.SerializeToString())
        except websockets.exceptions.ConnectionClosed as error:
            raise ProtocolError(f"connection closed: {error}") from error

    async def receive(self, deadline: float) -> ForwardMsg:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProtocolError(f"no answer within {self.timeout:.0f} s")
        try:
            raw = await asyncio.wait_for(self.ws.recv(), remaining)
        except TimeoutError as error:
            raise ProtocolError(f"no answer within {self.timeout:.0f} s") from error
        except websockets.exceptions.ConnectionClosed as error:
            raise ProtocolError(f"connection closed: {error}") from error
        message = ForwardMsg()
        message.ParseFromString(raw)
        self._note(message)
        return message

    def _note(self, message: ForwardMsg) -> None:
        """Keep what a browser keeps: the session id, the pages, the address bar."""
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.session_id = message.new_session.initialize.session_id or self.session_id
            self.page_hash = message.new_session.page_script_hash
        elif kind == "navigation":
            for page in message.navigation.app_pages:
                self.pages["" if page.is_default else page.url_pathname] = page.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string

    # ---- what a reader does ----------------------------------------------------------------
    async def run(
        self,
        *,
        path: str | None = None,
        page_hash: str | None = None,
        widgets: list[WidgetState] | None = None,
    ) -> PageRun:
        """Ask for a run and wait for its ``script_finished``; returns what the run sent.

        ``path`` names the page by its URL path (a link opened in the address bar; "" is the
        default page), ``page_hash`` by its script hash (a click in the sidebar's navigation);
        neither reruns the current page (a widget change, with ``widgets``). A run stopped for a
        rerun (``st.rerun``, a page switch) is followed to the run that finishes.
        """
        state = ClientState(query_string=self.query_string)
        if page_hash is not None:
            state.page_script_hash = page_hash
        elif path is not None:
            state.page_name = path
        else:
            state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend(widgets or [])
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-GB"
        request = BackMsg()
        request.rerun_script.CopyFrom(state)
        started = time.monotonic()
        deadline = started + self.timeout
        await self.send(request)
        run: PageRun | None = None  # messages before our run's new_session belong to the last
        while True:
            message = await self.receive(deadline)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                run = PageRun(0.0, "", message.new_session.page_script_hash)
            elif run is None:
                continue
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                run.elements.append(message.delta.new_element)
                run.problems.extend(run_problems(message.delta.new_element))
            elif kind == "page_not_found":
                run.problems.append(f"page not found: {message.page_not_found.page_name!r}")
            elif kind == "session_event" and message.session_event.HasField(
                "script_compilation_exception"
            ):
                error = message.session_event.script_compilation_exception
                run.problems.append(f"script error {error.type}: {error.message}")
            elif kind == "script_finished" and message.script_finished != _RERUN_STATUS:
                run.seconds = time.monotonic() - started
                run.status = _STATUS_NAMES.get(message.script_finished, "unknown")
                if run.status != "finished_successfully":
                    run.problems.append(f"script {run.status}")
                return run

    async def download(self, file_id: str) -> Download:
        """Click a download button whose file is made on click: the server runs its callable,
        answers with a /media/ URL, and the file is fetched from there (as the browser does)."""
        request = BackMsg()
        request.backend_operation_request.request_id = str(uuid.uuid4())
        request.backend_operation_request.session_id = self.session_id
        request.backend_operation_request.deferred_file.file_id = file_id
        started = time.monotonic()
        deadline = started + self.timeout
        await self.send(request)
        while True:
            message = await self.receive(deadline)
            if message.WhichOneof("type") != "backend_operation_response":
                continue
            answer = message.backend_operation_response
            if answer.request_id != request.backend_operation_request.request_id:
                continue
            if answer.error_msg or not answer.deferred_file.url:
                raise ProtocolError(f"download refused: {answer.error_msg or 'no URL'}")
            url = answer.deferred_file.url
            break
        response = await self.get(url if url.startswith("http") else f"{self.base_url}{url}")
        seconds = time.monotonic() - started
        return Download(seconds, url, response.status_code, len(response.content))
