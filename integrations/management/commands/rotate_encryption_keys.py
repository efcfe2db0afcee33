"""Re-encrypt every stored OAuth credential under the first key of FIELD_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand
from django.db import transaction

from integrations.crypto import UnreadableSecret, rotate
from integrations.models import Credential


class Command(BaseCommand):
    help = "Re-encrypt OAuth credentials with the newest FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args, **options):
        rotated = unreadable = 0
        # Every organisation's rows, on purpose: key rotation is an operator task.
        ids = list(Credential.objects.unscoped().values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                credential = Credential.objects.unscoped().select_for_update().get(pk=pk)
                try:
                    new_ciphertext = rotate(credential.token_ciphertext)
                except UnreadableSecret:
                    unreadable += 1
                    self.stderr.write(f"credential {pk}: no configured key can read it")
                    continue
                Credential.objects.unscoped().filter(pk=pk).update(token_ciphertext=new_ciphertext)
                rotated += 1
        self.stdout.write(f"rotated {rotated} credential(s); {unreadable} unreadable")
        if unreadable:
            raise SystemExit(1)
