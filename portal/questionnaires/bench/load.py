"""The load: a small HTTP/1.1 client, one asyncio client per coordinator, and the site served
by a threaded WSGI server in a separate process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.management.base import CommandError

from .answers import REQUEST_TIMEOUT

# HTTP client ----------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class HttpClient:
    """A minimal HTTP/1.1 client with keep-alive and a cookie jar, for one simulated browser."""

    def __init__(self, host: str, port: int, cookies: dict[str, str] | None = None):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, form: list | None = None) -> Reply:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = urlencode(form).encode() if form is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Accept: text/html",
            "Accept-Language: ja",
            "User-Agent: bench-questionnaire",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        reply = await self._read(method)
        self._keep_cookies(reply)
        if (reply.header("Connection") or "").lower() == "close":
            await self.close()
        return reply

    async def _read(self, method: str) -> Reply:
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = []
        for line in header_lines:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        reply = Reply(status, headers, b"")
        length = reply.header("Content-Length")
        if method == "HEAD" or status in (204, 304):
            return reply
        if (reply.header("Transfer-Encoding") or "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")  # no trailers expected
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            reply.body = b"".join(chunks)
        elif length is not None:
            reply.body = await self.reader.readexactly(int(length))
        else:
            reply.body = await self.reader.read()
            await self.close()
        return reply

    def _keep_cookies(self, reply: Reply) -> None:
        for name, value in reply.headers:
            if name.lower() != "set-cookie":
                continue
            jar = SimpleCookie()
            try:
                jar.load(value)
            except CookieError:
                continue
            for key, morsel in jar.items():
                expired = morsel["max-age"] == "0" or morsel["expires"].startswith(
                    "Thu, 01 Jan 1970"
                )
                if expired or morsel.value == "":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.coded_value


# Load -----------------------------------------------------------------------------------------

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_MARK = b'data-part="questionnaire-form"'


@dataclass
class Stats:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    submitted: int = 0
    error_count: int = 0
    expected_rows: dict[int, int] = field(default_factory=dict)  # client → rows of last submit

    def time(self, label: str, ms: float) -> None:
        self.timings.setdefault(label, []).append(ms)

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < 10:
            self.errors.append(message)


class Failure(Exception):
    pass


async def _timed(stats: Stats, label: str, client: HttpClient, method: str, path: str, form=None):
    started = time.perf_counter()
    reply = await asyncio.wait_for(client.request(method, path, form), REQUEST_TIMEOUT)
    stats.time(label, (time.perf_counter() - started) * 1000)
    return reply


def _check_redirect(reply: Reply, path: str, what: str) -> None:
    if reply.status != 302:
        raise Failure(f"{what}: status {reply.status}, expected 302: {_gist(reply.body)}")
    target = urlsplit(reply.header("Location") or "").path
    if target != path:
        raise Failure(f"{what}: redirected to {target!r}, expected {path!r}")


def _check_page(reply: Reply, after_post: bool, want_form: bool) -> str | None:
    """The CSRF token of a questionnaire page, after checking it."""
    if reply.status != 200:
        raise Failure(f"GET: status {reply.status}, expected 200")
    if after_post and (b"message--success" not in reply.body or b"message--error" in reply.body):
        raise Failure(f"GET after POST: no success message: {_gist(reply.body)}")
    if not want_form:
        return None
    match = CSRF_INPUT.search(reply.body)
    if FORM_MARK not in reply.body or match is None:
        raise Failure("GET: the questionnaire form is missing")
    return match.group(1).decode()


def _gist(body: bytes) -> str:
    found = re.search(rb'class="message message--error"[^>]*>(.{0,300})', body, re.S)
    text = (found.group(1) if found else body[:200]).decode("utf-8", "replace")
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())[:200]


async def run_client(
    n: int,
    client: HttpClient,
    path: str,
    pool: list,
    deadline: float,
    stats: Stats,
    *,
    anonymous: bool,
    seed: int,
) -> None:
    """One coordinator. Identified mode: GET the form and submit, until the deadline, then GET
    once more to see the last submission confirmed. Anonymous mode: GET and save a draft (some of
    the answers) until the deadline, then GET, submit and GET the confirmation."""
    rng = random.Random(seed * 1000 + n)  # noqa: S311 - benchmark data, not security

    async def get(after_post: bool, want_form: bool = True) -> str | None:
        reply = await _timed(stats, "GET", client, "GET", path)
        return _check_page(reply, after_post, want_form)

    async def post(token: str, action: str) -> None:
        fields, rows = pool[rng.randrange(len(pool))]
        if action == "draft":
            fields = fields[: rng.randint(0, len(fields))]
        label = f"POST {action}"
        form = [("csrfmiddlewaretoken", token), *fields, ("action", action)]
        reply = await _timed(stats, label, client, "POST", path, form)
        _check_redirect(reply, path, label)
        if action == "submit":
            stats.submitted += 1
            stats.expected_rows[n] = rows

    loop_action = "draft" if anonymous else "submit"
    after_post = False
    try:
        while time.perf_counter() < deadline:
            try:
                token = await get(after_post)
                after_post = False
                await post(token, loop_action)
                after_post = True
            except Failure as failure:
                stats.error(f"client {n}: {failure}")
                after_post = False
        if anonymous:
            token = await get(after_post)
            await post(token, "submit")
            await get(True, want_form=False)
        elif after_post:
            await get(True)
    except (Failure, OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
        stats.error(f"client {n}: {type(exc).__name__}: {exc}")
    finally:
        await client.close()


async def run_load(
    host: str,
    port: int,
    path: str,
    sessions: list[str],
    pool: list,
    seconds: float,
    *,
    anonymous: bool,
    seed: int,
) -> tuple[Stats, float]:
    stats = Stats()
    cookie_name = settings.SESSION_COOKIE_NAME
    warm = HttpClient(host, port, {cookie_name: sessions[0]})
    try:
        reply = await asyncio.wait_for(warm.request("GET", path), REQUEST_TIMEOUT)
        _check_page(reply, False, want_form=True)
    finally:
        await warm.close()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(
            run_client(
                n,
                HttpClient(host, port, {cookie_name: key}),
                path,
                pool,
                deadline,
                stats,
                anonymous=anonymous,
                seed=seed,
            )
            for n, key in enumerate(sessions)
        )
    )
    return stats, time.perf_counter() - started


# Server ---------------------------------------------------------------------------------------


def serve() -> None:
    """Serve the site on a free 127.0.0.1 port with a threaded WSGI server (one thread per
    connection); prints the port on stdout, then runs until terminated."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    settings.DEBUG = False
    if "*" not in settings.ALLOWED_HOSTS and "127.0.0.1" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]

    class Handler(WSGIRequestHandler):
        def log_message(self, format, *args):  # the client counts and reports failures
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), Handler, ipv6=False)
    server.set_app(get_wsgi_application())
    sys.stdout.write(f"{server.server_address[1]}\n")
    sys.stdout.flush()
    sys.stdout = sys.stderr  # nothing else may fill the pipe the parent no longer reads
    try:
        server.serve_forever()
    finally:
        server.server_close()


def start_server(timeout: float = 60.0) -> tuple[subprocess.Popen, int]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    manage = settings.BASE_DIR / "manage.py"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(manage), "bench_questionnaire", "--serve"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                raise CommandError(f"the server did not start within {timeout:.0f} s")
        line = process.stdout.readline().strip()
        if not line.isdigit():
            raise CommandError(f"the server did not start (exit code {process.poll()})")
    except BaseException:
        stop_server(process)
        raise
    return process, int(line)


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
