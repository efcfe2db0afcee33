"""Run the demo: web server, Celery worker and Celery beat, stopped together by Ctrl-C.

Each child runs in its own process group, so a signal reaches the child and everything
it forked (runserver's threads, the worker's pool) and nothing else. When one child dies
the others are stopped too: a half-running demo is more confusing than a stopped one.

Usage: python scripts/run_demo.py [--port 8000] [--host 127.0.0.1]
Needs no Django import itself; the children get the demo environment from `demo_env`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
QUEUES = "sync,letters,dispatch,default"
DEMO_ORGANIZATION_SLUG = "demo-rorlegger"  # kredin/management/commands/demo_setup.py
STOP_GRACE_SECONDS = 10


def demo_env(port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """The environment every demo process shares: SQLite, file broker, embedded sandbox."""
    origin = f"http://{host}:{port}"
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kredin.settings",
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}",
            # A host name only to keep kombu from warning that none was given; the files are local.
            "CELERY_BROKER_URL": "filesystem://localhost//",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "KREDIN_SANDBOX_ENABLED": "true",
            "KREDIN_SITE_URL": origin,
            "VISMA_CONNECT_URL": f"{origin}/sandbox/visma-connect",
            "BUSINESS_NXT_GRAPHQL_URL": f"{origin}/sandbox/businessnxt/api/graphql",
            "BRREG_API_URL": f"{origin}/sandbox/brreg/enhetsregisteret/api",
            # The sandbox's _control/ switches want this header; a fresh secret each run,
            # unless the caller brings one (DEMO_SANDBOX_CONTROL_SECRET).
            "KREDIN_SANDBOX_CONTROL_SECRET": os.environ.get("DEMO_SANDBOX_CONTROL_SECRET")
            or secrets.token_urlsafe(24),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def ensure_var_dirs() -> None:
    for sub in ("broker/queue", "broker/control", "broker/processed"):
        (BASE_DIR / "var" / sub).mkdir(parents=True, exist_ok=True)


def prepare(env: dict[str, str], url: str) -> None:
    """Migrate the SQLite file and create the demo organisation (both idempotent)."""
    python = sys.executable
    for cmd in (
        [python, "manage.py", "migrate", "--noinput", "-v", "0"],
        [python, "manage.py", "demo_setup", "--url", url],
        [python, "manage.py", "collections_demo_setup", "--org", DEMO_ORGANIZATION_SLUG, "-v", "0"],
    ):
        subprocess.run(cmd, cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def wait_until_up(url: str, keep_waiting: Callable[[], bool], timeout: float = 60.0) -> bool:
    """True once the web server answers at all (a 503 from /healthz is still an answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and keep_waiting():
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local URL)
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.5)
    return False


def commands(port: int, host: str) -> dict[str, list[str]]:
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "kredin"]
    return {
        "web": [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
        # Threads, not prefork: the demo's SQLite file prefers few writers in one process.
        "worker": [
            *celery,
            "worker",
            "-Q",
            QUEUES,
            "--pool",
            "threads",
            "--concurrency",
            "4",
            "--loglevel",
            "INFO",
            "--hostname",
            "demo@%h",
        ],
        "beat": [*celery, "beat", "--loglevel", "INFO"],
    }


class Supervisor:
    def __init__(self, cmds: dict[str, list[str]], env: dict[str, str]) -> None:
        self.cmds = cmds
        self.env = env
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self) -> None:
        for name, cmd in self.cmds.items():
            self.children[name] = subprocess.Popen(  # noqa: S603 (our own fixed commands)
                cmd, cwd=BASE_DIR, env=self.env, start_new_session=True
            )
            print(f"[demo] started {name} (pid {self.children[name].pid})", flush=True)

    def _signal_all(self, sig: int) -> None:
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, sig)

    def stop(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        print("[demo] stopping web, worker and beat ...", flush=True)
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline and any(c.poll() is None for c in self.children.values()):
            time.sleep(0.1)
        self._signal_all(signal.SIGKILL)
        for child in self.children.values():
            child.wait()
        print("[demo] stopped.", flush=True)

    def running(self) -> bool:
        return not self.stopping and all(c.poll() is None for c in self.children.values())

    def wait(self) -> int:
        """Block until a signal arrives or a child exits; return the exit status to use."""
        while not self.stopping:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    print(f"[demo] {name} exited with status {code}", flush=True)
                    self.stop()
                    return code or 1
            time.sleep(0.3)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT", "8000")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate and demo_setup")
    args = parser.parse_args(argv)

    ensure_var_dirs()
    env = demo_env(args.port, args.host)
    url = f"http://{args.host}:{args.port}/"
    if not args.no_prepare:
        prepare(env, url)
    supervisor = Supervisor(commands(args.port, args.host), env)

    def on_signal(signum, frame):
        supervisor.stop()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    supervisor.start()
    if wait_until_up(f"{url}healthz", keep_waiting=supervisor.running):
        print(f"[demo] Kredin is up: {url}  (Ctrl-C stops web, worker and beat)", flush=True)
        print(
            "[demo] sandbox control secret (header X-Sandbox-Control-Secret): "
            + env["KREDIN_SANDBOX_CONTROL_SECRET"],
            flush=True,
        )
    return supervisor.wait()


if __name__ == "__main__":
    sys.exit(main())
