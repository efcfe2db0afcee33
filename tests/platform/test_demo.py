"""`make demo`: the set-up command is idempotent and the supervisor stops what it started."""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import time

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from kredin.identifiers import is_valid_organization_number
from kredin.management.commands import demo_setup
from kredin.models import AuditEvent, Membership, Organization, User
from kredin.permissions import Role
from tests.platform.conftest import BASE_DIR


def load_run_demo():
    spec = importlib.util.spec_from_file_location("run_demo", BASE_DIR / "scripts/run_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_setup(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_setup", "--url", "http://127.0.0.1:8123", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fake_sandbox_seed(monkeypatch):
    """Stands in for the sandbox's seed command, which prints the company number."""
    calls = []
    real_call_command = demo_setup.call_command

    def call(name, *args, **options):
        if name != "sandbox_seed":
            return real_call_command(name, *args, **options)
        calls.append(args)
        options["stdout"].write(
            "Seeded Sandbox AS: 3 customers.\n"
            "Sandbox login: kari@sandbox.no / pw\n"
            "company: 5550001\n"
        )

    monkeypatch.setattr(demo_setup, "get_commands", lambda: {"sandbox_seed": "sandbox"})
    monkeypatch.setattr(demo_setup, "call_command", call)
    return calls


def test_demo_organisation_number_is_valid_and_never_a_real_company():
    number = demo_setup.DEMO_ORGANIZATION_NUMBER

    assert is_valid_organization_number(number)
    assert number[0] not in "89"  # the register hands out numbers starting with 8 or 9


@pytest.mark.django_db
def test_demo_setup_creates_the_organisation_and_an_owner_who_can_log_in():
    output = run_setup("--password", "demo-pass-1")

    organization = Organization.objects.get(organization_number="314159268")
    user = authenticate(email="demo@kredin.no", password="demo-pass-1")
    assert organization.name == "Demo Rørlegger AS"
    assert user is not None
    assert Membership.objects.get(organization=organization, user=user).role == Role.OWNER
    assert "http://127.0.0.1:8123/" in output
    assert "demo@kredin.no" in output
    assert "demo-pass-1" in output


@pytest.mark.django_db
def test_demo_setup_prints_a_support_agent_who_is_staff_and_no_member():
    output = run_setup("--password", "demo-pass-1")

    agent = authenticate(email="agent@kredin.no", password="demo-pass-1")
    assert agent is not None and agent.is_staff and not agent.is_superuser
    assert not Membership.objects.filter(user=agent).exists()
    assert "http://127.0.0.1:8123/support/ as agent@kredin.no" in output


@pytest.mark.django_db
def test_demo_setup_run_twice_changes_nothing_but_keeps_the_printed_login_working():
    run_setup("--password", "demo-pass-1")
    user = User.objects.get(email="demo@kredin.no")
    user.set_password("something-else")
    user.save()

    run_setup("--password", "demo-pass-1")

    assert Organization.objects.filter(organization_number="314159268").count() == 1
    assert User.objects.filter(email="demo@kredin.no").count() == 1
    assert Membership.objects.count() == 1
    assert authenticate(email="demo@kredin.no", password="demo-pass-1") is not None


@pytest.mark.django_db
def test_demo_setup_seeds_the_sandbox_only_once(fake_sandbox_seed):
    first = run_setup("--customers", "3", "--invoices", "5", "--seed", "9")
    second = run_setup("--customers", "3", "--invoices", "5", "--seed", "9")

    assert fake_sandbox_seed == [("--customers", "3", "--invoices", "5", "--seed", "9")]
    for output in (first, second):
        assert "Sandbox Business NXT company: 5550001" in output
        assert "Sandbox login: kari@sandbox.no / pw" in output
    assert AuditEvent.objects.filter(action=demo_setup.SANDBOX_SEEDED_ACTION).count() == 1


@pytest.mark.parametrize(
    ("output", "company"),
    [
        ("Seeded Rør AS (org.nr 912345678): 40 customers.\nLogin: a / b\ncompany: 4242\n", "4242"),
        ("5550001\n", "5550001"),
        ("Seeded 40 customers, 1000 invoices; company 123456\n", "123456"),
    ],
)
def test_company_number_is_read_from_the_seed_output(output, company):
    assert demo_setup._company_number(output) == company


def test_demo_processes_get_the_team_wide_sandbox_urls_on_the_chosen_port():
    env = load_run_demo().demo_env(8123)

    assert env["DJANGO_DEBUG"] == "true"
    assert env["CELERY_BROKER_URL"].startswith("filesystem://")
    assert env["VISMA_CONNECT_URL"] == "http://127.0.0.1:8123/sandbox/visma-connect"
    assert env["BUSINESS_NXT_GRAPHQL_URL"] == (
        "http://127.0.0.1:8123/sandbox/businessnxt/api/graphql"
    )
    assert env["BRREG_API_URL"] == "http://127.0.0.1:8123/sandbox/brreg/enhetsregisteret/api"
    assert env["DATABASE_URL"].endswith("/var/demo.sqlite3")


def test_demo_runs_web_worker_on_every_queue_and_beat():
    cmds = load_run_demo().commands(8123, "127.0.0.1")

    assert set(cmds) == {"web", "worker", "beat"}
    assert "127.0.0.1:8123" in cmds["web"]
    worker = cmds["worker"]
    assert set(worker[worker.index("-Q") + 1].split(",")) == {
        "sync",
        "letters",
        "dispatch",
        "default",
    }
    assert "beat" in cmds["beat"]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): look at its state.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_supervisor_stop_ends_every_child_and_what_they_forked(tmp_path):
    run_demo = load_run_demo()
    pidfile = tmp_path / "grandchild"
    spawner = (
        "import subprocess, sys, time;"
        "p = subprocess.Popen(['sleep', '120']);"
        f"open({str(pidfile)!r}, 'w').write(str(p.pid));"
        "time.sleep(120)"
    )
    supervisor = run_demo.Supervisor(
        {"a": [sys.executable, "-c", spawner], "b": ["sleep", "120"]}, dict(os.environ)
    )
    supervisor.start()
    deadline = time.monotonic() + 10
    while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    grandchild = int(pidfile.read_text())

    supervisor.stop()

    assert all(child.poll() is not None for child in supervisor.children.values())
    deadline = time.monotonic() + 5
    while pid_alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(grandchild)


def test_supervisor_stops_the_rest_when_one_process_dies():
    run_demo = load_run_demo()
    supervisor = run_demo.Supervisor(
        {"short": [sys.executable, "-c", "raise SystemExit(3)"], "long": ["sleep", "120"]},
        dict(os.environ),
    )
    supervisor.start()

    status = supervisor.wait()

    assert status == 3
    assert supervisor.children["long"].poll() is not None


@pytest.mark.django_db
def test_demo_setup_seeds_the_real_sandbox_once_and_prints_its_company():
    first = run_setup("--customers", "3", "--invoices", "6", "--seed", "2")
    second = run_setup("--customers", "3", "--invoices", "6", "--seed", "2")

    marker = AuditEvent.objects.get(action=demo_setup.SANDBOX_SEEDED_ACTION)
    company = marker.details["company"]
    assert company.isdigit()
    assert f"Sandbox Business NXT company: {company}" in first
    assert f"Sandbox Business NXT company: {company}" in second
