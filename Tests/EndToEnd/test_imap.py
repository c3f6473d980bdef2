"""The imap step against a real Dovecot on loopback (started by the `mail` fixture): messages
become runs with their attachments as inputs, are marked seen only after the claim, are moved
or flagged when their runs end, and are processed once across renumbering, redelivery and a
connection cut in the middle of a fetch."""
import io
import json
import uuid
from email.message import EmailMessage

import openpyxl
import pytest

ORDERS = "orders@example.test"


def workbook(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Commande"
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def order_mail(subject="Commande 1", sender="client@example.test", rows=None, message_id=None, attachment_name="commande.xlsx"):
    m = EmailMessage()
    m["From"] = f"Client <{sender}>"
    m["To"] = ORDERS
    m["Subject"] = subject
    m["Message-ID"] = message_id or f"<{uuid.uuid4()}@example.test>"
    m["Date"] = "Sat, 21 Nov 2026 08:00:00 +0100"
    m.set_content("Bonjour, voici notre commande.\n")
    if rows is not None:
        m.add_attachment(workbook(rows), maintype="application", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         filename=attachment_name)
    return m.as_bytes()


def connections(mail, port=None, tls="implicit", extra=""):
    return (f"orders-mail:\n  type: imap\n  host: 127.0.0.1\n  port: {port or mail.imaps_port}\n  tls: {tls}\n"
            f"  username: {ORDERS}\n  password: {mail.users[ORDERS]}\n  ca-file: {mail.ca_file}\n{extra}")


PIPELINE = """
triggers: {{ manual: true }}
extract:
  - imap:
      connection: orders-mail
      subject: /^Commande/
      attachments: ["*.xlsx"]
      {options}
    as: message
  - xlsx: {{ header: 1 }}
    as: lignes
transform:
  - validate:
      columns:
        Article: {{ type: string, required: true }}
        Quantite: {{ type: integer, min: 1 }}
      on-invalid: fail-run
load:
  - csv: {{ file: "commande_{{{{run.id}}}}.csv" }}
    from: lignes
"""


def setup(ws, mail, options="", **kw):
    (ws.root / "connections.yaml").write_text(connections(mail, **kw))
    ws.pipeline("commandes", PIPELINE.format(options=options))


def imap_runs(ws):
    return [r for r in ws.runs() if r["trigger"] == "imap"]


GOOD = [["Article", "Quantite"], ["Vis M4", 100], ["Ecrou M4", 50]]
BAD = [["Article", "Quantite"], ["Vis M4", 0]]


def test_order_mails_become_runs_with_their_attachments_and_are_marked_seen_after_the_claim(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    mail.deliver(ORDERS, order_mail("Commande 2", rows=GOOD, attachment_name="../../etc/commande.xlsx"))
    mail.deliver(ORDERS, order_mail("Newsletter", rows=GOOD))
    mail.deliver(ORDERS, order_mail("Commande sans fichier"))
    setup(ws, mail)
    ws.sluice("run", check=True)
    runs = imap_runs(ws)
    assert len(runs) == 2 and all(r["status"] == "succeeded" for r in runs), runs
    for r in runs:
        assert sorted(r["inputs"]) == ["commande.xlsx", "message.eml"]
    # The name the sender gave is kept with the run, never used as a path.
    shown = [ws.json("show", r["id"]) for r in runs]
    originals = sorted(i.get("originalName") or "" for doc in shown for i in doc["inputs"] if i["name"] == "commande.xlsx")
    assert originals == ["../../etc/commande.xlsx", "commande.xlsx"]
    assert "sent as" in ws.sluice("show", runs[1]["id"]).stdout + ws.sluice("show", runs[0]["id"]).stdout
    outputs = [f for f in ws.files("outbox/commandes") if f.endswith(".csv")]
    assert len(outputs) == 2
    # Only the two claimed messages are seen; the others stay unread for people.
    flags = mail.flags(ORDERS, "INBOX")
    assert sorted("\\Seen" in f for f in flags.values()) == [False, False, True, True]
    # Nothing twice: a second look finds nothing new.
    ws.sluice("run", check=True)
    assert len(imap_runs(ws)) == 2


def test_the_message_is_a_dataset_row_and_the_archive_keeps_it(ws, mail):
    mail.clear()
    mid = f"<{uuid.uuid4()}@example.test>"
    mail.deliver(ORDERS, order_mail("Commande 7", rows=GOOD, message_id=mid, sender="zoe@example.test"))
    setup(ws, mail)
    ws.pipeline("commandes", PIPELINE.format(options="") + """notify:
  - file: { name: "recu.txt", text: "{{#message.items}}{{from_address}}|{{subject}}|{{message_id}}{{/message.items}}" }
""")
    ws.sluice("run", check=True)
    [run] = imap_runs(ws)
    text = (ws.root / "outbox" / "commandes" / "recu.txt").read_text()
    assert text == f"zoe@example.test|Commande 7|{mid.strip('<>')}"
    archived = ws.files("archive/commandes")
    assert any(f.endswith(f"{run['id']}/message.eml") for f in archived)


def test_processed_and_failed_messages_are_moved_and_the_failed_one_flagged(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande bonne", rows=GOOD))
    mail.deliver(ORDERS, order_mail("Commande mauvaise", rows=BAD))
    setup(ws, mail, options="processed: Traité\n      failed: Erreurs")
    p = ws.sluice("run")
    assert p.returncode == 1
    statuses = sorted(r["status"] for r in imap_runs(ws))
    assert statuses == ["failed", "succeeded"]
    assert mail.flags(ORDERS, "INBOX") == {}
    [done] = mail.flags(ORDERS, "Traité").values()
    [failed] = mail.flags(ORDERS, "Erreurs").values()
    assert "\\Seen" in done and "\\Flagged" not in done
    assert "\\Flagged" in failed and "\\Seen" in failed


def test_a_renumbered_mailbox_is_not_processed_again(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    setup(ws, mail, options="select: new")
    ws.sluice("run", check=True)
    assert len(imap_runs(ws)) == 1
    mail.change_uidvalidity(ORDERS, "INBOX")
    mail.deliver(ORDERS, order_mail("Commande 2", rows=GOOD))
    p = ws.sluice("run", check=True)
    runs = imap_runs(ws)
    assert len(runs) == 2, runs
    assert "already processed" in p.stdout + p.stderr


def test_a_redelivered_message_with_the_same_message_id_is_processed_once(ws, mail):
    mail.clear()
    raw = order_mail("Commande 1", rows=GOOD)
    mail.deliver(ORDERS, raw)
    setup(ws, mail)
    ws.sluice("run", check=True)
    mail.deliver(ORDERS, raw)
    p = ws.sluice("run", check=True)
    assert len(imap_runs(ws)) == 1
    assert "already processed" in p.stdout + p.stderr
    assert all("\\Seen" in f for f in mail.flags(ORDERS, "INBOX").values())


def test_a_connection_cut_mid_fetch_loses_nothing_and_repeats_nothing(ws, mail):
    mail.clear()
    for n in range(4):
        mail.deliver(ORDERS, order_mail(f"Commande {n}", rows=GOOD))
    proxy = mail.proxy(mail.imaps_port, drop_after_bytes=20_000)
    try:
        setup(ws, mail, port=proxy.port)
        first = ws.sluice("run")
        assert first.returncode == 1
        assert "orders-mail" in first.stdout + first.stderr
        claimed = len(imap_runs(ws))
        assert claimed < 4
        ws.sluice("run", check=True)
    finally:
        proxy.close()
    runs = imap_runs(ws)
    assert len(runs) == 4 and all(r["status"] == "succeeded" for r in runs)
    assert len({r["params"]["imap.message_id"] for r in runs}) == 4
    assert all("\\Seen" in f for f in mail.flags(ORDERS, "INBOX").values())


def test_a_truncated_message_fails_its_run_and_its_partial_attachment_is_never_passed_on(ws, mail):
    mail.clear()
    raw = order_mail("Commande tronquée", rows=GOOD)
    cut = raw[: raw.rindex(b"--")]  # no closing boundary, the attachment cut short
    cut = cut[: len(cut) - 400]
    mail.deliver(ORDERS, cut)
    # The attachments filter matches the incomplete workbook: the message gets its run, which fails.
    setup(ws, mail, options="failed: Erreurs")
    p = ws.sluice("run", check=False)
    runs = imap_runs(ws)
    assert len(runs) == 1, p.stdout + p.stderr
    [run] = runs
    assert run["status"] == "failed"
    shown = ws.sluice("show", run["id"]).stdout
    assert "truncated" in shown and "message.eml" in shown
    assert run["inputs"] == ["message.eml"]
    assert len(mail.flags(ORDERS, "Erreurs")) == 1


def test_credentials_never_cross_a_plain_connection(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    setup(ws, mail, port=mail.imap_port, tls="none")
    p = ws.sluice("run")
    assert p.returncode == 1
    assert "TLS" in p.stdout + p.stderr
    assert imap_runs(ws) == []
    # STARTTLS on the same port works.
    setup(ws, mail, port=mail.imap_port, tls="starttls")
    ws.sluice("run", check=True)
    assert len(imap_runs(ws)) == 1


def test_a_wrong_password_is_a_clear_error_naming_the_account(ws, mail):
    mail.clear()
    (ws.root / "connections.yaml").write_text(connections(mail).replace(mail.users[ORDERS], "wrong"))
    ws.pipeline("commandes", PIPELINE.format(options=""))
    p = ws.sluice("run")
    assert p.returncode == 1
    out = p.stdout + p.stderr
    assert "orders-mail" in out and "refused the login" in out


@pytest.mark.parametrize("point", ["after-source-claim", "inside-stage", "after-complete"])
def test_a_crash_around_the_claim_makes_no_second_run(ws, mail, point):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    mail.deliver(ORDERS, order_mail("Commande 2", rows=GOOD))
    setup(ws, mail, options="processed: Traité")
    crashed = ws.sluice("run", env={"SLUICE_CRASH_AT": point})
    assert crashed.returncode == -9, crashed.stdout + crashed.stderr
    ws.sluice("run", check=True)
    runs = imap_runs(ws)
    assert len(runs) == 2 and all(r["status"] == "succeeded" for r in runs), runs
    assert len({r["params"]["imap.message_id"] for r in runs}) == 2
    # Every message ends seen; a crash before the move may leave one in the inbox, never unread.
    flags = {**mail.flags(ORDERS, "INBOX"), **{-u: f for u, f in mail.flags(ORDERS, "Traité").items()}}
    assert len(flags) == 2 and all("\\Seen" in f for f in flags.values())


def test_an_oauth2_token_logs_in_with_xoauth2(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    token_account = connections(mail).replace(f"  password: {mail.users[ORDERS]}\n", "  token: ${env:ORDERS_OAUTH_TOKEN}\n")
    (ws.root / "connections.yaml").write_text(token_account)
    ws.pipeline("commandes", PIPELINE.format(options=""))
    ws.env["ORDERS_OAUTH_TOKEN"] = mail.oauth_tokens[ORDERS]
    ws.sluice("run", check=True)
    assert len(imap_runs(ws)) == 1
    # A token the server does not accept is a clear login error, never a fallback to a password.
    ws.env["ORDERS_OAUTH_TOKEN"] = "expired-token"
    mail.deliver(ORDERS, order_mail("Commande 2", rows=GOOD))
    p = ws.sluice("run")
    assert p.returncode == 1 and "refused the login" in p.stdout + p.stderr
    assert "expired-token" not in p.stdout + p.stderr
    assert len(imap_runs(ws)) == 1


def test_an_attachment_name_too_long_for_a_file_stops_nothing(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande longue", rows=GOOD, attachment_name="é" * 200 + ".xlsx"))
    mail.deliver(ORDERS, order_mail("Commande 2", rows=GOOD))
    setup(ws, mail)
    ws.sluice("run", check=True)
    runs = imap_runs(ws)
    assert len(runs) == 2 and all(r["status"] == "succeeded" for r in runs), runs
    long_name = [i for r in runs for i in r["inputs"] if i.endswith(".xlsx") and len(i.encode()) > 200]
    assert len(long_name) == 1 and len(long_name[0].encode()) <= 240


def test_with_select_new_a_crash_before_seen_still_ends_seen(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande 1", rows=GOOD))
    setup(ws, mail, options="select: new")
    crashed = ws.sluice("run", env={"SLUICE_CRASH_AT": "after-source-claim"})
    assert crashed.returncode == -9
    assert all("\\Seen" not in f for f in mail.flags(ORDERS, "INBOX").values())
    ws.sluice("run", check=True)
    assert len(imap_runs(ws)) == 1
    assert all("\\Seen" in f for f in mail.flags(ORDERS, "INBOX").values())


def test_filters_on_sender_recipient_and_date(ws, mail):
    mail.clear()
    mail.deliver(ORDERS, order_mail("Commande A", rows=GOOD, sender="achats@client.ch"))
    mail.deliver(ORDERS, order_mail("Commande B", rows=GOOD, sender="someone@elsewhere.example"))
    setup(ws, mail, options="from: /@client\\.ch>?$/\n      to: orders@\n      since: 2099-01-01")
    ws.sluice("run", check=True)
    assert imap_runs(ws) == []  # nothing received on or after 2099-01-01
    setup(ws, mail, options="from: /@client\\.ch>?$/\n      to: orders@\n      since: 7d")
    ws.sluice("run", check=True)
    runs = imap_runs(ws)
    assert len(runs) == 1, runs
    shown = ws.json("show", runs[0]["id"])
    assert shown["inputs"][0]["name"] in ("message.eml", "commande.xlsx")
    flags = mail.flags(ORDERS, "INBOX")
    assert sorted("\\Seen" in f for f in flags.values()) == [False, True]


def test_a_full_mailbox_is_worked_through_a_capped_number_of_messages_per_look(ws, mail):
    mail.clear()
    for n in range(25):
        mail.deliver(ORDERS, order_mail(f"Commande {n}", rows=GOOD))
    setup(ws, mail, options="max-messages: 10\n      batch: 4")
    counts = []
    for _ in range(3):
        ws.sluice("run", check=True)
        counts.append(len(imap_runs(ws)))
    assert counts == [10, 20, 25]
    assert len({r["params"]["imap.uid"] for r in imap_runs(ws)}) == 25


def test_each_new_message_is_an_email_received_event_for_other_pipelines(ws, mail):
    mail.clear()
    raw = order_mail("Commande 1", rows=GOOD, sender="zoe@example.test")
    mail.deliver(ORDERS, raw)
    setup(ws, mail)
    ws.pipeline("journal", """
triggers: { inbox: false, event: email.received }
extract:
  - files: {}
notify:
  - file: { name: "mail_{{run.id}}.txt", text: "{{run.params.imap.from}}|{{run.params.imap.subject}}|{{run.inputs}} files" }
""")
    ws.sluice("run", check=True)
    journal = [r for r in ws.runs() if r["pipeline"] == "journal"]
    assert len(journal) == 1 and journal[0]["trigger"] == "event" and journal[0]["status"] == "succeeded", journal
    assert sorted(journal[0]["inputs"]) == ["commande.xlsx", "message.eml"]
    [text] = [p.read_text() for p in (ws.root / "outbox" / "journal").iterdir()]
    assert text == "zoe@example.test|Commande 1|2 files"
    # The same message again (redelivered) is no new event.
    mail.deliver(ORDERS, raw)
    ws.sluice("run", check=True)
    assert len([r for r in ws.runs() if r["pipeline"] == "journal"]) == 1
