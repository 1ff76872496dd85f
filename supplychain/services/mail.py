"""Outgoing e-mail behind a tiny interface; for now one backend writes .eml files locally."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One plain-text e-mail."""

    to: str
    subject: str
    body: str


class Mailer(Protocol):
    """Anything that can send a Message (an SMTP or API backend later)."""

    def send(self, message: Message) -> None: ...


class OutboxMailer:
    """Write each message as an .eml file to a folder; in development also to the log."""

    def __init__(self, directory: Path, sender: str, *, log_body: bool = False):
        self.directory = directory
        self.sender = sender
        self.log_body = log_body

    def send(self, message: Message) -> None:
        """Write the message to the outbox folder."""
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Date"] = format_datetime(datetime.now(UTC))
        email["Message-ID"] = make_msgid(domain="supplychain.invalid")
        # Plain 8-bit text keeps links readable in the .eml file and the log; quoted-printable
        # only where SMTP's line-length limit demands it.
        short_lines = all(len(line) < 990 for line in message.body.splitlines())
        email.set_content(message.body, cte="8bit" if short_lines else "quoted-printable")
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        path.write_bytes(bytes(email))
        if self.log_body:
            # Development only: mails carry secrets such as password-reset links.
            log.info("Mail to %s written to %s:\n%s", message.to, path, email.as_string())
        else:
            log.info("Mail to %s written to %s", message.to, path)


def get_mailer(config: Mapping[str, Any]) -> Mailer:
    """Return the mailer the configuration asks for."""
    return OutboxMailer(
        Path(config["MAIL_OUTBOX_DIR"]),
        config["MAIL_FROM"],
        log_body=config["ENV_NAME"] == "development",
    )
