"""Prepare the demo: one organisation, its owner, and (once) a seeded sandbox.

Safe to run any number of times: the organisation and user are found or created, the
owner's password is set to the demo password every time (so the printed login always
works), and the sandbox is seeded only when no earlier run recorded doing it.
"""

from __future__ import annotations

import io
import os
import re

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction

from kredin.audit import audit_record
from kredin.models import AuditEvent, Membership, Organization, User
from kredin.permissions import Role

DEMO_ORGANIZATION_NAME = "Demo Rørlegger AS"
# MOD11-valid, and starting with 3: the register only hands out numbers starting with 8 or 9,
# so this can never be a real company.
DEMO_ORGANIZATION_NUMBER = "314159268"
DEMO_ORGANIZATION_SLUG = "demo-rorlegger"
DEMO_EMAIL = "demo@kredin.no"
DEMO_PASSWORD_DEFAULT = "kredin-demo"
# A Kredin support agent (staff, no membership): the console at /support/ asks for an
# authenticator app on the first log-in, as it would for a real one.
DEMO_AGENT_EMAIL = "agent@kredin.no"
SANDBOX_SEEDED_ACTION = "demo.sandbox_seeded"


class Command(BaseCommand):
    help = "Create the demo organisation and owner, and seed the sandbox once."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.SITE_URL)
        parser.add_argument("--customers", type=int, default=40)
        parser.add_argument("--invoices", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)
        )

    def handle(self, *args, **options):
        organization, user = self._organization_and_owner(password=options["password"])
        agent = self._support_agent(password=options["password"])
        company, seed_output = self._seed_sandbox_once(
            organization,
            customers=options["customers"],
            invoices=options["invoices"],
            seed=options["seed"],
        )
        url = options["url"].rstrip("/") + "/"
        lines = [
            "",
            "Kredin demo",
            f"  URL:          {url}",
            f"  Log in:       {user.email}",
            f"  Password:     {options['password']}",
            f"  Organisation: {organization.name} ({organization.organization_number})",
        ]
        lines += [
            f"  Support:      {url}support/ as {agent.email}, same password; the first",
            "                log-in sets up an authenticator app (TOTP)",
        ]
        if company:
            lines.append(f"  Sandbox Business NXT company: {company}")
        lines += [f"  {line}" for line in seed_output.splitlines()[:-1] if line.strip()]
        self.stdout.write("\n".join(lines) + "\n")

    @transaction.atomic
    def _organization_and_owner(self, *, password: str) -> tuple[Organization, User]:
        organization, created = Organization.objects.get_or_create(
            organization_number=DEMO_ORGANIZATION_NUMBER,
            defaults={"name": DEMO_ORGANIZATION_NAME, "slug": DEMO_ORGANIZATION_SLUG},
        )
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = User.objects.create_user(
                email=DEMO_EMAIL, password=password, full_name="Demo Eier"
            )
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            organization=organization,
            user=user,
            defaults={"role": Role.OWNER, "may_sign_legal_documents": True},
        )
        if created:
            audit_record(action="demo.setup", organization=organization, actor=user)
        return organization, user

    @transaction.atomic
    def _support_agent(self, *, password: str) -> User:
        agent = User.objects.filter(email=DEMO_AGENT_EMAIL).first()
        if agent is None:
            return User.objects.create_user(
                email=DEMO_AGENT_EMAIL,
                password=password,
                full_name="Demo Kundeservice",
                is_staff=True,
            )
        if not agent.check_password(password):
            agent.set_password(password)
            agent.save(update_fields=["password"])
        return agent

    def _seed_sandbox_once(
        self, organization: Organization, *, customers: int, invoices: int, seed: int
    ) -> tuple[str, str]:
        """Seed the sandbox unless this database says it was done.

        Returns the company number and what the seed command printed (empty when no seed).
        """
        done = (
            AuditEvent.objects.filter(action=SANDBOX_SEEDED_ACTION, organization=organization)
            .order_by("-created_at")
            .first()
        )
        if done is not None:
            return str(done.details.get("company", "")), str(done.details.get("output", ""))
        if not settings.SANDBOX_ENABLED or "sandbox_seed" not in get_commands():
            return "", ""
        output = io.StringIO()
        call_command(
            "sandbox_seed",
            "--customers",
            str(customers),
            "--invoices",
            str(invoices),
            "--seed",
            str(seed),
            stdout=output,
        )
        company = _company_number(output.getvalue())
        audit_record(
            action=SANDBOX_SEEDED_ACTION,
            organization=organization,
            details={
                "company": company,
                "output": output.getvalue().strip(),
                "customers": customers,
                "invoices": invoices,
                "seed": seed,
            },
        )
        return company, output.getvalue().strip()


def _company_number(output: str) -> str:
    """sandbox_seed ends with 'company: <number>'; older output had the number alone."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if not lines:
        return ""
    last = re.fullmatch(r"(?i)company:\s*(\S+)", lines[-1])
    if last:
        return last.group(1)
    if lines[-1].isdigit():
        return lines[-1]
    labelled = re.search(r"(?i)(?:company|selskap|firma)\W{0,3}(\d+)", output)
    return labelled.group(1) if labelled else lines[-1]
