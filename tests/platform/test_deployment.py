"""docker-compose.yml and the Dockerfile name only things that exist in the project."""

from __future__ import annotations

import importlib
import importlib.util
import shlex

import pytest
import yaml
from celery import Celery
from django.core.management import get_commands

from tests.platform.conftest import BASE_DIR

QUEUES = {"sync", "letters", "dispatch", "default"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def app_commands(compose: dict) -> dict[str, list[str]]:
    """The command of every service built from this project's image."""
    return {
        name: shlex.split(service["command"])
        if isinstance(service["command"], str)
        else list(service["command"])
        for name, service in compose["services"].items()
        if "build" in service
    }


def option(argv: list[str], *names: str) -> str | None:
    for index, arg in enumerate(argv):
        for name in names:
            if arg == name:
                return argv[index + 1]
            if arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    return None


def test_compose_has_web_worker_beat_postgres_and_redis(compose):
    assert {"web", "worker", "beat", "postgres", "redis"} <= compose["services"].keys()


def test_project_services_read_their_settings_from_env_file(compose):
    for name in app_commands(compose):
        assert compose["services"][name]["env_file"] == ".env", name


def test_web_runs_gunicorn_on_the_project_wsgi_application(compose):
    argv = app_commands(compose)["web"]

    assert argv[0] == "gunicorn"
    assert importlib.util.find_spec("gunicorn") is not None
    module_name, _, attribute = argv[1].partition(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute or "application"))


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_name_the_project_celery_app(compose, service):
    argv = app_commands(compose)[service]

    assert argv[0] == "celery"
    app_module = importlib.import_module(option(argv, "-A", "--app"))
    assert isinstance(app_module.celery_app, Celery)
    assert argv[argv.index(option(argv, "-A", "--app")) + 1] == service


def test_worker_consumes_every_project_queue(compose):
    queues = option(app_commands(compose)["worker"], "-Q", "--queues")

    assert set(queues.split(",")) == QUEUES


def test_management_commands_in_compose_exist(compose):
    commands = get_commands()
    named = [
        argv[argv.index("manage.py") + 1]
        for argv in app_commands(compose).values()
        if "manage.py" in argv
    ]

    assert named, "expected at least the migrate step"
    assert [command for command in named if command not in commands] == []


def test_every_command_in_compose_is_known(compose):
    for name, argv in app_commands(compose).items():
        assert argv[0] in {"gunicorn", "celery", "python"}, f"{name}: unknown program {argv[0]}"


def test_env_example_points_at_the_compose_services(compose):
    example = dict(
        line.split("=", 1)
        for line in (BASE_DIR / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )

    assert "@postgres:5432/" in example["DATABASE_URL"]
    assert example["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


def test_image_is_python_slim_with_weasyprint_libraries_and_a_non_root_user():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    user = next(line.split()[1] for line in dockerfile.splitlines() if line.startswith("USER "))

    assert "FROM python:3.11-slim" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert user not in {"root", "0"}


def test_web_port_is_published_on_the_host_loopback_only(compose):
    """gunicorn speaks plain HTTP and Kredin believes X-Forwarded-*: only the host's proxy
    may reach it, so every published port of every service is bound to 127.0.0.1."""
    published = {name: service.get("ports", []) for name, service in compose["services"].items()}

    assert published["web"] == ["127.0.0.1:8000:8000"]
    for name, ports in published.items():
        for port in ports:
            assert isinstance(port, str) and port.startswith("127.0.0.1:"), (name, port)
