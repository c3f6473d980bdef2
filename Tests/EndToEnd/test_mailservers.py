"""The mail servers the mail tests run against are real and behave as those tests assume:
Dovecot over IMAPS and STARTTLS with the test CA and no credentials in clear, SMTP submission
over SMTPS and STARTTLS with AUTH, delivery into the IMAP mailboxes, the SMTP faults, a
UIDVALIDITY change and a connection cut mid-stream. They need no Sluice binary."""
import email
import email.policy
import imaplib
import json
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailservers import REPO, servers, wait_for

ORDERS, TEAM, CUSTOMER = "orders@example.test", "team@example.test", "customer@example.test"


@pytest.fixture
def m(mail):
    mail.clear()
    return mail


def message(subject, to=TEAM, body="Bonjour,\r\nla commande 42 est partie.\r\n"):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = ORDERS, to, subject
    msg.set_content(body)
    return msg.as_bytes()


def subjects(m, user, mailbox="INBOX"):
    return [str(email.message_from_bytes(raw, policy=email.policy.default)["Subject"])
            for raw in m.messages_in(user, mailbox).values()]


def test_imaps_logs_in_with_the_test_ca_only(m):
    c = imaplib.IMAP4_SSL(m.host, m.imaps_port, ssl_context=ssl.create_default_context(cafile=m.ca_file))
    assert c.login(ORDERS, m.users[ORDERS])[0] == "OK"
    c.logout()
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(m.host, m.imaps_port, ssl_context=ssl.create_default_context())
    c = imaplib.IMAP4_SSL(m.host, m.imaps_port, ssl_context=m.ssl_context())
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        c.login(ORDERS, "wrong")
    c.shutdown()


def test_dovecot_refuses_credentials_before_starttls(m):
    c = imaplib.IMAP4(m.host, m.imap_port)
    assert "STARTTLS" in c.capabilities and "LOGINDISABLED" in c.capabilities
    with pytest.raises(imaplib.IMAP4.error, match="PRIVACYREQUIRED"):
        c.login(ORDERS, m.users[ORDERS])
    typ, data = c._simple_command("AUTHENTICATE", "PLAIN", "AG9yZGVyc0BleGFtcGxlLnRlc3QAb3JkZXJzLXBhc3M=")
    assert typ == "NO" and b"PRIVACYREQUIRED" in data[0]
    c.shutdown()


def test_starttls_login_works(m):
    c = imaplib.IMAP4(m.host, m.imap_port)
    c.starttls(ssl_context=m.ssl_context())
    assert c.login(TEAM, m.users[TEAM])[0] == "OK"
    assert c.select("INBOX")[0] == "OK"
    c.logout()


def test_smtps_submission_reaches_the_inbox(m):
    with smtplib.SMTP_SSL(m.host, m.smtps_port, context=m.ssl_context()) as s:
        assert "AUTH" in s.ehlo()[1].decode()
        s.login(ORDERS, m.users[ORDERS])
        assert s.sendmail(ORDERS, [TEAM, "outside@elsewhere.test"], message("Commande 42")) == {}
    assert wait_for(lambda: subjects(m, TEAM), what="the message in team's INBOX") == ["Commande 42"]
    [sent] = m.smtp_messages()
    assert sent["mail_from"] == ORDERS and sent["rcpt_tos"] == [TEAM, "outside@elsewhere.test"]
    assert sent["tls"] is True and sent["auth_user"] == ORDERS and sent["listener"] == "smtps"
    assert b"Subject: Commande 42" in sent["data"]
    assert m.flags(TEAM) == {1: {"\\Recent"}}  # UIDs start at 1 after clear()


def test_starttls_submission_requires_tls_then_auth(m):
    with smtplib.SMTP(m.host, m.starttls_port) as s:
        s.ehlo()
        assert s.has_extn("starttls") and not s.has_extn("auth")
        assert s.mail(ORDERS)[0] == 530  # nothing before STARTTLS
        s.starttls(context=m.ssl_context())
        s.ehlo()
        assert "PLAIN" in s.esmtp_features["auth"] and "LOGIN" in s.esmtp_features["auth"]
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            s.sendmail(TEAM, [CUSTOMER], message("sans AUTH"))
        assert refused.value.smtp_code == 530
        with pytest.raises(smtplib.SMTPAuthenticationError):
            s.login(TEAM, "wrong")
        s.login(TEAM, m.users[TEAM])
        s.sendmail(TEAM, [CUSTOMER], message("Votre commande", to=CUSTOMER))
    assert wait_for(lambda: subjects(m, CUSTOMER), what="the message in customer's INBOX") == ["Votre commande"]
    [sent] = m.smtp_messages()
    assert sent["tls"] is True and sent["auth_user"] == TEAM and sent["listener"] == "starttls"


def test_auth_login_mechanism_works(m):
    with smtplib.SMTP_SSL(m.host, m.smtps_port, context=m.ssl_context()) as s:
        s.ehlo()
        s.user, s.password = CUSTOMER, m.users[CUSTOMER]
        assert s.auth("LOGIN", s.auth_login)[0] == 235
        s.sendmail(CUSTOMER, [ORDERS], message("Réclamation", to=ORDERS))
    assert m.smtp_messages()[0]["auth_user"] == CUSTOMER


def send(m, subject, rcpts=(TEAM,)):
    with smtplib.SMTP_SSL(m.host, m.smtps_port, context=m.ssl_context(), timeout=10) as s:
        s.login(ORDERS, m.users[ORDERS])
        return s.sendmail(ORDERS, list(rcpts), message(subject))


def test_data_451_fault_then_accepted(m):
    m.set_smtp_faults({"data_451_times": 2})
    for _ in range(2):
        with pytest.raises(smtplib.SMTPDataError) as e:
            send(m, "Relance")
        assert e.value.smtp_code == 451 and e.value.smtp_error == b"4.3.0 try again later"
    assert m.smtp_messages() == []
    send(m, "Relance")
    assert [r["rcpt_tos"] for r in m.smtp_messages()] == [[TEAM]]
    assert wait_for(lambda: subjects(m, TEAM), what="the third try in team's INBOX") == ["Relance"]


def test_reject_rcpt_fault(m):
    m.set_smtp_faults({"reject_rcpt": ["nobody@example.test"]})
    with pytest.raises(smtplib.SMTPRecipientsRefused) as e:
        send(m, "Perdu", ["nobody@example.test"])
    assert e.value.recipients == {"nobody@example.test": (550, b"5.1.1 <nobody@example.test>: unknown user")}
    refused = send(m, "En partie", [TEAM, "nobody@example.test"])
    assert refused == {"nobody@example.test": (550, b"5.1.1 <nobody@example.test>: unknown user")}
    assert [r["rcpt_tos"] for r in m.smtp_messages()] == [[TEAM]]


def test_drop_after_dot_fault_keeps_the_message(m):
    m.set_smtp_faults({"drop_after_dot_times": 1})
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(m, "Coupé")
    assert [r["rcpt_tos"] for r in m.smtp_messages()] == [[TEAM]]  # it was taken all the same
    send(m, "Encore")
    assert len(m.smtp_messages()) == 2
    assert wait_for(lambda: sorted(subjects(m, TEAM)) if len(subjects(m, TEAM)) == 2 else None,
                    what="both messages in team's INBOX") == ["Coupé", "Encore"]


def test_deliver_flags_and_folders(m):
    m.deliver(ORDERS, message("Un"))
    m.deliver(ORDERS, message("Deux"), mailbox="Commandes/Traitées")
    assert m.mailboxes(ORDERS) == ["Commandes", "Commandes/Traitées", "INBOX"]
    assert subjects(m, ORDERS, "Commandes/Traitées") == ["Deux"]
    c = m.imap(ORDERS)
    c.select("INBOX")
    c.uid("STORE", "1", "+FLAGS", r"(\Seen $Processed)")
    c.logout()
    assert m.flags(ORDERS) == {1: {"\\Seen", "$Processed"}}
    m.clear()
    assert m.mailboxes(ORDERS) == ["INBOX"] and m.messages_in(ORDERS) == {}


def test_change_uidvalidity_keeps_messages_and_flags(m):
    for i in range(3):
        m.deliver(TEAM, message(f"Message {i}"))
    c = m.imap(TEAM)
    c.select("INBOX")
    old = int(c.response("UIDVALIDITY")[1][0])
    c.uid("STORE", "2", "+FLAGS", r"(\Seen)")
    c.logout()
    assert m.flags(TEAM) == {1: set(), 2: {"\\Seen"}, 3: set()}  # \\Recent went to that first session
    before, after = m.change_uidvalidity(TEAM)
    assert before == old and after != old
    c = m.imap(TEAM)
    c.select("INBOX")
    assert int(c.response("UIDVALIDITY")[1][0]) == after  # SELECT says so too, not only STATUS
    c.logout()
    assert sorted(subjects(m, TEAM)) == ["Message 0", "Message 1", "Message 2"]
    assert sorted(len(f & {"\\Seen"}) for f in m.flags(TEAM).values()) == [0, 0, 1]


def test_change_uidvalidity_of_another_folder(m):
    m.deliver(TEAM, message("Archivé"), mailbox="Archive")
    before, after = m.change_uidvalidity(TEAM, "Archive")
    assert before != after and m.status(TEAM, "Archive")["MESSAGES"] == 1


def test_proxy_cuts_after_n_bytes_once(m):
    p = m.proxy(m.imap_port, drop_after_bytes=10)

    def read_all():
        with socket.create_connection((m.host, p.port), timeout=10) as s:
            data = b""
            while len(data) < 10 or not data.endswith(b"\r\n"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return data
    assert read_all() == b"* OK [CAPA"
    assert read_all().startswith(b"* OK [CAPABILITY IMAP4rev1")
    assert p.dropped == 1
    p.close()


def test_proxy_drops_an_imap_fetch_midway(m):
    big = message("Gros", body="ligne de commande\r\n" * 20000)
    m.deliver(ORDERS, big)
    p = m.proxy(m.imaps_port, drop_after_bytes=100_000)

    def fetch():
        c = imaplib.IMAP4_SSL(m.host, p.port, ssl_context=m.ssl_context(), timeout=10)
        try:
            c.login(ORDERS, m.users[ORDERS])
            c.select("INBOX", readonly=True)
            typ, data = c.uid("FETCH", "1", "(BODY.PEEK[])")
            return data[0][1]
        finally:
            c.shutdown()
    with pytest.raises((imaplib.IMAP4.abort, ssl.SSLError, OSError)):
        fetch()
    assert p.dropped == 1
    assert fetch().replace(b"\r\n", b"\n") == big.replace(b"\r\n", b"\n")
    p.close()


def test_connections_yaml(mail):
    text = mail.connections_yaml(smtp_tls="starttls")
    assert f"port: {mail.imaps_port}\n  tls: implicit" in text and f"port: {mail.starttls_port}\n  tls: starttls" in text
    assert 'orders-mail:\n  type: imap\n  host: "127.0.0.1"' in text and "mailer:\n  type: smtp" in text
    assert f'ca-file: "{mail.ca_file}"' in text and 'from: "orders@example.test"' in text


def test_start_again_finds_the_running_servers(mail):
    assert servers.start(mail.dir)["pid"] == mail.info["pid"]


def test_cli_start_twice_then_stop_leaves_nothing():
    if os.geteuid() != 0:
        pytest.skip("the mail servers run as root")
    d = tempfile.mkdtemp(prefix="sluice-mail-cli-", dir="/tmp")
    script = str(REPO / "scripts" / "mailservers.py")
    try:
        first = json.loads(subprocess.run([sys.executable, script, "start", "--dir", d], check=True,
                                          capture_output=True, text=True, timeout=60).stdout)
        second = json.loads(subprocess.run([sys.executable, script, "start", "--dir", d], check=True,
                                           capture_output=True, text=True, timeout=60).stdout)
        assert first == second == json.loads(Path(d, "servers.json").read_text())
        pids = [first["pid"], first["dovecot_pid"]]
        with smtplib.SMTP_SSL(first["host"], first["smtps_port"],
                              context=ssl.create_default_context(cafile=first["ca_file"])) as s:
            s.login(ORDERS, first["users"][ORDERS])
        subprocess.run([sys.executable, script, "stop", "--dir", d], check=True, timeout=60)
        assert not any(servers._alive(pid) for pid in pids)
        assert not Path(d, "servers.json").exists()
        with pytest.raises(OSError):
            socket.create_connection((first["host"], first["imaps_port"]), timeout=2)
    finally:
        servers.stop(d)
        shutil.rmtree(d, ignore_errors=True)


def test_servers_stop_by_themselves_when_the_watched_process_dies():
    if os.geteuid() != 0:
        pytest.skip("the mail servers run as root")
    d = tempfile.mkdtemp(prefix="sluice-mail-watch-", dir="/tmp")
    watched = subprocess.Popen(["sleep", "60"])
    try:
        info = servers.start(d, watch_pid=watched.pid)
        watched.kill()
        watched.wait()
        wait_for(lambda: not servers._alive(info["pid"]) and not servers._alive(info["dovecot_pid"]),
                 what="the supervisor and Dovecot to stop")
        assert servers.running(d) is None
    finally:
        watched.kill()
        servers.stop(d)
        shutil.rmtree(d, ignore_errors=True)
