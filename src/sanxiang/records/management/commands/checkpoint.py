"""sanxiang checkpoint: sign the ledger's current size and Merkle root; or print the public
key. Run it periodically, e.g. hourly from cron (see README, "Tamper evidence")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sanxiang.records import keys
from sanxiang.records.checkpoints import create_checkpoint


class Command(BaseCommand):
    help = "签署台账检查点（台账条数与默克尔根），台账未增长时不重复签署；或输出公钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--public-key", action="store_true", help="输出检查点签名公钥（PEM）并退出"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["public_key"]:
                key = keys.signing_key(create=True).public_key()
                self.stdout.write(keys.public_key_pem(key), ending="")
                self.stderr.write(f"公钥指纹（SHA-256）：{keys.key_id(key)}")
                return
            checkpoint = create_checkpoint()
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from None
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"检查点：台账条数 {checkpoint.tree_size}，默克尔根 {checkpoint.root_hash}，"
            f"签署时间 {timezone.localtime(checkpoint.signed_at):%Y-%m-%d %H:%M:%S}，"
            f"公钥指纹 {checkpoint.key_id}"
        )
