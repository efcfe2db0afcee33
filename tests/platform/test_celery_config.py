"""Celery's configuration: JSON only, time limits, the four queues, beat on Oslo time."""

from __future__ import annotations

import pytest
from celery.schedules import crontab

from kredin.celery import app as celery_app
from kredin.tasks import tenant_task

QUEUES = {"sync", "letters", "dispatch", "default"}


@tenant_task(name="tests.platform.echo_scope")
def echo_scope(organization_id: int) -> int:
    return organization_id


@pytest.fixture(scope="module")
def registered_tasks():
    celery_app.loader.import_default_modules()  # what a worker does at start-up
    return set(celery_app.tasks)


def test_tenant_task_refuses_organization_id_that_is_not_an_int():
    with pytest.raises(TypeError, match="organization_id"):
        echo_scope.apply(args=["1"]).get()


def test_tenant_task_refuses_a_call_without_organization_id():
    with pytest.raises(TypeError):
        echo_scope.apply(args=[]).get()


def test_tenant_task_runs_with_an_int_organization_id():
    assert echo_scope.apply(args=[7]).get() == 7


def test_messages_are_json_only():
    conf = celery_app.conf

    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert list(conf.accept_content) == ["json"]


def test_every_task_has_a_soft_limit_below_its_hard_limit():
    conf = celery_app.conf

    assert 0 < conf.task_soft_time_limit < conf.task_time_limit


def test_long_tasks_fit_in_the_broker_visibility_timeout():
    # Redis redelivers a task not acknowledged within the visibility timeout.
    visibility = celery_app.conf.broker_transport_options["visibility_timeout"]

    assert visibility > celery_app.conf.task_time_limit


def test_task_routes_use_only_the_project_queues():
    conf = celery_app.conf
    routed = {route["queue"] for route in conf.task_routes.values()}

    assert conf.task_default_queue == "default"
    assert routed <= QUEUES
    assert {"sync", "letters", "dispatch"} <= routed


def test_beat_runs_on_oslo_wall_clock():
    assert celery_app.conf.timezone == "Europe/Oslo"
    assert celery_app.conf.enable_utc is True


def test_beat_schedule_is_crontabs_naming_registered_tasks(registered_tasks):
    schedule = celery_app.conf.beat_schedule

    assert schedule
    for name, entry in schedule.items():
        assert isinstance(entry["schedule"], crontab), name
        assert entry["task"] in registered_tasks, f"{name}: no task called {entry['task']}"


def test_worker_prefetches_one_task_at_a_time():
    assert celery_app.conf.worker_prefetch_multiplier == 1
