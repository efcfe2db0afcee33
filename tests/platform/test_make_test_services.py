"""scripts/with_services.py: how `make test` finds, or starts, PostgreSQL and Redis."""

from __future__ import annotations

import importlib.util
import sys

import psycopg
import pytest
import redis

from tests.platform.conftest import BASE_DIR


@pytest.fixture
def with_services(monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "with_services", BASE_DIR / "scripts/with_services.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.signal, "signal", lambda *args: None)  # leave pytest's alone
    return module


def test_command_status_is_passed_on_so_no_tests_collected_fails(with_services, monkeypatch):
    monkeypatch.setattr(with_services, "reachable", lambda host, port, timeout=1.0: True)

    status = with_services.main(["--", sys.executable, "-c", "raise SystemExit(5)"])

    assert status == 5


def test_command_sees_the_urls_it_was_given(with_services, monkeypatch, tmp_path):
    monkeypatch.setattr(with_services, "reachable", lambda host, port, timeout=1.0: True)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/somewhere")
    out = tmp_path / "env"
    script = f"import os; open({str(out)!r}, 'w').write(os.environ['DATABASE_URL'])"

    assert with_services.main(["--", sys.executable, "-c", script]) == 0
    assert out.read_text() == "postgres://postgres@127.0.0.1:5432/somewhere"


def test_without_servers_or_binaries_one_line_says_what_to_install(
    with_services, monkeypatch, capsys
):
    monkeypatch.setattr(with_services, "reachable", lambda host, port, timeout=1.0: False)
    monkeypatch.setattr(with_services, "postgres_bin", lambda name: None)
    monkeypatch.setattr(with_services.shutil, "which", lambda name: None)

    status = with_services.main(["--", sys.executable, "-c", "pass"])

    message = capsys.readouterr().err.strip()
    assert status != 0
    assert len(message.splitlines()) == 1
    assert "postgresql" in message
    assert "redis-server" in message


def test_private_urls_keep_user_and_database_but_take_the_new_port(with_services):
    assert (
        with_services.with_port("postgres://postgres@127.0.0.1:5432/kredin", 6543)
        == "postgres://postgres@127.0.0.1:6543/kredin"
    )
    assert with_services.with_port("redis://127.0.0.1:6379/2", 7000) == "redis://127.0.0.1:7000/2"


def test_private_postgres_answers_and_is_removed_afterwards(with_services):
    with with_services.private_postgres("postgres://postgres@127.0.0.1:5432/postgres") as url:
        with psycopg.connect(url, connect_timeout=5) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        port = int(url.rsplit(":", 1)[1].split("/")[0])

    assert not with_services.reachable("127.0.0.1", port)


def test_private_redis_answers_and_is_removed_afterwards(with_services):
    with with_services.private_redis("redis://127.0.0.1:6379/3") as url:
        assert redis.Redis.from_url(url).ping()
        port = int(url.rsplit(":", 1)[1].split("/")[0])

    assert not with_services.reachable("127.0.0.1", port)
