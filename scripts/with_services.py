"""Run a command with PostgreSQL and Redis reachable, starting throwaway ones if needed.

    python scripts/with_services.py -- pytest -q

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kredin) and REDIS_URL (default
redis://127.0.0.1:6379/0) are used as they are when something answers there. Otherwise, if
the server binaries are installed, a private instance is started in a temporary directory
on a free port for the length of the command, and the URL handed to the command points at
it. With neither a server nor the binaries, one line says what to install and the exit
status is 2. The command's own exit status is passed on unchanged.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kredin"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class MissingService(Exception):
    pass


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{userinfo}127.0.0.1:{port}"))


def wait_for(host: str, port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if reachable(host, port, timeout=0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on {host}:{port} after {timeout:.0f}s")


def postgres_bin(name: str) -> str | None:
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    return candidates[-1] if candidates else shutil.which(name)


def _as_unprivileged(cmd: list[str]) -> tuple[list[str], str | None]:
    """initdb and postgres refuse to run as root: run them as `postgres` (or `nobody`)."""
    if os.geteuid() != 0:
        return cmd, None
    for user in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--", *cmd], user
    raise MissingService("running as root, and no 'postgres' or 'nobody' user to run PostgreSQL")


@contextlib.contextmanager
def private_postgres(url: str) -> Iterator[str]:
    initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise MissingService("postgresql (initdb, pg_ctl)")
    tmp = tempfile.mkdtemp(prefix="kredin-pg-")
    _, user = _as_unprivileged([])
    if user:
        entry = pwd.getpwnam(user)
        os.chown(tmp, entry.pw_uid, entry.pw_gid)
    data, log = os.path.join(tmp, "data"), os.path.join(tmp, "log")
    port = free_port()
    options = (
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )

    def run(cmd: list[str]) -> None:
        subprocess.run(  # noqa: S603
            _as_unprivileged(cmd)[0], check=True, stdout=subprocess.DEVNULL
        )

    try:
        run([initdb, "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"])
        run([pg_ctl, "-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"])
        print(f"[services] started a private PostgreSQL on port {port}", file=sys.stderr)
        yield with_port(url, port)
    finally:
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            with contextlib.suppress(subprocess.CalledProcessError):
                run([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"])
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def private_redis(url: str) -> Iterator[str]:
    server = shutil.which("redis-server")
    if not server:
        raise MissingService("redis-server")
    tmp = tempfile.mkdtemp(prefix="kredin-redis-")
    port = free_port()
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(  # noqa: S603
        [server, *options, "--dir", tmp], stdout=subprocess.DEVNULL
    )
    try:
        wait_for("127.0.0.1", port)
        print(f"[services] started a private Redis on port {port}", file=sys.stderr)
        yield with_port(url, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: with_services.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL

    # A SIGTERM (CI timeout, kill) must still stop the private servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with contextlib.ExitStack() as stack:
        missing = []
        db = urlsplit(database_url)
        if not reachable(db.hostname or "127.0.0.1", db.port or 5432):
            try:
                database_url = stack.enter_context(private_postgres(database_url))
            except MissingService as exc:
                missing.append(str(exc))
        rd = urlsplit(redis_url)
        if not reachable(rd.hostname or "127.0.0.1", rd.port or 6379):
            try:
                redis_url = stack.enter_context(private_redis(redis_url))
            except MissingService as exc:
                missing.append(str(exc))
        if missing:
            print(
                f"Nothing answers at {db.hostname}:{db.port or 5432} (PostgreSQL) or "
                f"{rd.hostname}:{rd.port or 6379} (Redis) and no server to start: install "
                f"{' and '.join(missing)} (Debian: apt-get install postgresql redis-server).",
                file=sys.stderr,
            )
            return 2
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
        return subprocess.call(argv, env=env)  # noqa: S603


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
