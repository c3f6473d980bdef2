"""The `mail` fixture: real mail servers on loopback for the whole pytest session (Dovecot for
IMAPS and IMAP with STARTTLS, aiosmtpd for SMTPS and SMTP with STARTTLS), started once by
scripts/mailservers.py in a temporary folder and stopped at the end of the session.

    def test_something(ws, mail):
        mail.clear()
        mail.deliver("orders@example.test", raw_bytes)
        (ws.root / "connections.yaml").write_text(mail.connections_yaml())
        ...
        wait_for(lambda: mail.smtp_messages(), what="a message")

The object is a scripts/mailservers.py MailServers (host, imaps_port, imap_port, smtps_port,
starttls_port, ca_file, users, deliver, create_mailbox, imap, flags, messages_in, mailboxes,
status, change_uidvalidity, smtp_messages, set_smtp_faults, clear) with proxy() and
connections_yaml() added."""
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Loaded under another name: this file is `mailservers` on the tests' path too.
_spec = importlib.util.spec_from_file_location("sluice_mailservers", REPO / "scripts" / "mailservers.py")
servers = importlib.util.module_from_spec(_spec)
sys.modules["sluice_mailservers"] = servers
_spec.loader.exec_module(servers)

DroppingProxy = servers.DroppingProxy


def wait_for(predicate, timeout=20, what="the condition"):
    """Polls `predicate` until it returns something truthy (returned), or fails at the deadline."""
    try:
        return servers.wait_for(predicate, timeout, what)
    except TimeoutError as e:
        raise AssertionError(str(e)) from None


class Mail(servers.MailServers):
    # The account Sluice sends with in the tests.
    smtp_user = "orders@example.test"

    def __init__(self, d):
        super().__init__(d)
        self._proxies = []

    @property
    def smtp_password(self):
        return self.users[self.smtp_user]

    def proxy(self, target_port, drop_after_bytes, drops=1):
        """A started DroppingProxy (.port, .close(), .dropped) in front of `target_port`: the first
        `drops` connections are cut once `drop_after_bytes` bytes came from the server."""
        p = DroppingProxy(target_port, drop_after_bytes, drops)
        self._proxies.append(p)
        return p

    def connections_yaml(self, imap_name="orders-mail", smtp_name="mailer", imap_user="orders@example.test",
                         smtp_user="orders@example.test", imap_tls="implicit", smtp_tls="implicit", sender=None,
                         imap_port=None, smtp_port=None):
        """connections.yaml text with an IMAP and an SMTP account on these servers. tls is
        "implicit" (IMAPS, SMTPS) or "starttls"; a port given (a proxy's, say) replaces the server's."""
        def q(v):
            return json.dumps(v)
        imap_port = imap_port or (self.imaps_port if imap_tls == "implicit" else self.imap_port)
        smtp_port = smtp_port or (self.smtps_port if smtp_tls == "implicit" else self.starttls_port)
        return (f"{imap_name}:\n  type: imap\n  host: {q(self.host)}\n  port: {imap_port}\n  tls: {imap_tls}\n"
                f"  username: {q(imap_user)}\n  password: {q(self.users[imap_user])}\n  ca-file: {q(self.ca_file)}\n"
                f"{smtp_name}:\n  type: smtp\n  host: {q(self.host)}\n  port: {smtp_port}\n  tls: {smtp_tls}\n"
                f"  username: {q(smtp_user)}\n  password: {q(self.users[smtp_user])}\n  from: {q(sender or smtp_user)}\n"
                f"  ca-file: {q(self.ca_file)}\n")

    def close_proxies(self):
        for p in self._proxies:
            p.close()
        self._proxies.clear()


@pytest.fixture(scope="session")
def mail():
    if os.geteuid() != 0:
        pytest.skip("the mail servers run as root (Dovecot, and maildirs owned by a system user)")
    # In /tmp: Dovecot's unprivileged processes must be able to reach the folder.
    d = tempfile.mkdtemp(prefix="sluice-mail-", dir="/tmp")
    try:
        servers.start(d, watch_pid=os.getpid())
        m = Mail(d)
        yield m
        m.close_proxies()
    finally:
        servers.stop(d)
        shutil.rmtree(d, ignore_errors=True)
