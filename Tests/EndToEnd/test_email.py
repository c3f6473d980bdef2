"""The `email` step against real SMTP servers (implicit TLS and STARTTLS with AUTH, a test CA),
run by the session fixture `mail` of mailservers.py: one transaction per recipient, headers and
attachments as Python's `email` package reads them, retries, refusals, the post-acceptance window,
header injection, replies in a thread, and `sluice template`."""
import email
import email.policy
import json
import re

import pytest

HOST = "localhost"
FROM = "robot@sluice.test"


@pytest.fixture(autouse=True)
def fresh(mail):
    mail.clear()
    mail.set_smtp_faults({})
    yield
    mail.set_smtp_faults({})


def connect(ws, mail, tls="starttls"):
    port = mail.starttls_port if tls == "starttls" else mail.smtps_port
    host = getattr(mail, "host", HOST)
    (ws.root / "connections.yaml").write_text(f"""
mail-out:
  type: smtp
  host: {host}
  port: {port}
  tls: {tls}
  username: {mail.smtp_user}
  password: ${{env:SMTP_TEST_PASSWORD}}
  from: "Sluice Robot <{FROM}>"
  ca-file: {mail.ca_file}
direction:
  type: recipients
  addresses: [marie@example.com, "Paul Martin <paul@example.com>"]
""")
    ws.env["SMTP_TEST_PASSWORD"] = mail.smtp_password


def parsed(message):
    return email.message_from_bytes(message["data"], policy=email.policy.default)


def body(m, kind="plain"):
    """A text part as a string, with the wire's CRLF line ends as \\n."""
    return m.get_body((kind,)).get_content().replace("\r\n", "\n")


def run_document(ws):
    run = ws.runs()[0]
    return ws.json("show", run["id"])


SALES = "Produit,Montant\nCafé,12.50\nThé,4.20\n,3.00\nCafé,1.25\n"

REPORT = """
triggers: {{ inbox: {{ settle: 0s }} }}
retry: {{ attempts: 3, initial: 10m, jitter: false }}
extract:
  - csv: {{}}
    as: ventes
transform:
  - validate:
      columns:
        Produit: {{ type: string, required: true }}
        Montant: {{ type: decimal, min: 0 }}
      on-invalid: reject-row
    as: valides
  - aggregate: {{ by: [Produit], sum: [Montant] }}
    as: totaux
load:
  - csv: {{ file: "totaux_{{{{run.date}}}}.csv" }}
    from: totaux
notify:
  - email:
{email}
"""

SUBJECT = "Rapport du {{run.date}} – {{valides.Montant.sum}} CHF ✅ Zürich"


def report(ws, mail, email_keys, tls="starttls", sales=SALES):
    connect(ws, mail, tls)
    ws.pipeline("ventes", REPORT.format(email="\n".join("      " + line for line in email_keys.strip().splitlines())))
    (ws.root / "pipelines" / "templates" / "rapport.txt").write_text(
        "Bonjour,\n{{valides.rows}} ventes, {{valides.rejects.rows}} rejetée(s).\n{{#totaux.items}}- {{Produit}}: {{Montant}}\n{{/totaux.items}}.\n.fin\n")
    (ws.root / "pipelines" / "templates" / "rapport.html").write_text(
        "<p>{{valides.rows}} ventes</p><ul>{{#totaux.items}}<li>{{Produit}}</li>{{/totaux.items}}</ul>\n")
    ws.drop("ventes", "ventes.csv", sales)


def test_one_message_per_recipient_with_visible_to_and_cc_and_no_bcc(ws, mail):
    report(ws, mail, f"""
to: [direction, "Zoé Müller <zoe@example.com>"]
cc: compta@example.com
bcc: archives@example.com
subject: "{SUBJECT}"
template: rapport
attach: outputs
priority: high
""")
    ws.sluice("run", check=True)
    got = mail.smtp_messages()
    assert sorted(r for m in got for r in m["rcpt_tos"]) == sorted(
        ["marie@example.com", "paul@example.com", "zoe@example.com", "compta@example.com", "archives@example.com"])
    assert all(len(m["rcpt_tos"]) == 1 and m["tls"] and m["auth_user"] == mail.smtp_user for m in got)
    assert all(m["mail_from"].strip("<>") == FROM for m in got)
    messages = [parsed(m) for m in got]
    ids = {m["Message-ID"] for m in messages}
    assert len(ids) == 5 and all(i.startswith("<sluice-") and i.endswith("@sluice.test>") for i in ids)
    outbox = ws.root / "outbox" / "ventes"
    for raw, m in zip(got, messages):
        assert m["To"] == "marie@example.com, Paul Martin <paul@example.com>, Zoé Müller <zoe@example.com>"
        assert m["Cc"] == "compta@example.com"
        # No Bcc header line at all (the letters "bcc" may occur by chance in a boundary or in base64).
        assert m["Bcc"] is None and b"archives@" not in raw["data"] and not re.search(rb"(?im)^bcc:", raw["data"])
        assert m["Subject"] == "Rapport du 2026-11-21 – 17.95 CHF ✅ Zürich"
        assert m["X-Priority"].startswith("1") and m["Importance"] == "high"
        text = body(m)
        assert "3 ventes, 1 rejetée(s)." in text and "- Café: 13.75" in text and "\n.\n.fin\n" in text
        assert "<li>Thé</li>" in body(m, "html")
        attachments = {a.get_filename(): a.get_payload(decode=True) for a in m.iter_attachments()}
        assert attachments == {name: (outbox / name).read_bytes() for name in ["ventes_rejects.csv", "totaux_2026-11-21.csv"]}
        assert b"\n" not in raw["data"].replace(b"\r\n", b"")
    effects = run_document(ws)["effects"]
    assert len(effects) == 5 and all(e["state"] == "done" and e["detail"].startswith("<sluice-") for e in effects)


def test_implicit_tls_and_non_ascii_attachment_names(ws, mail):
    report(ws, mail, f"""
to: marie@example.com
subject: "{SUBJECT}"
text: "Ci-joint."
attach: "*.csv"
""", tls="implicit")
    (ws.root / "pipelines" / "ventes.yaml").write_text((ws.root / "pipelines" / "ventes.yaml").read_text()
                                                       .replace("totaux_{{run.date}}.csv", "totaux_été_€_{{run.date}}.csv"))
    ws.sluice("run", check=True)
    [got] = mail.smtp_messages()
    m = parsed(got)
    assert got["tls"]
    names = sorted(a.get_filename() for a in m.iter_attachments())
    assert names == ["totaux_été_€_2026-11-21.csv", "ventes.csv", "ventes_rejects.csv"], "outputs and the input"
    assert body(m) == "Ci-joint.\n"


def test_a_451_waits_for_the_retry_then_one_delivery(ws, mail):
    mail.set_smtp_faults({"data_451_times": 1})
    report(ws, mail, 'to: marie@example.com\nsubject: "Rapport"\ntemplate: rapport')
    first = ws.sluice("run", check=True)
    waiting = ws.runs()[0]
    assert waiting["status"] == "waiting" and waiting["wakeAt"] == "2026-11-21T07:10:00Z", first.stdout
    assert "451" in waiting["lastError"] and "marie@example.com" in waiting["lastError"]
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-21T07:11:00Z"})
    done = ws.runs()[0]
    assert done["status"] == "succeeded" and done["attempt"] == 2
    assert [m["rcpt_tos"] for m in mail.smtp_messages()] == [["marie@example.com"]]


def test_a_550_fails_the_run_with_the_servers_answer_and_reprocess_sends_only_the_rest(ws, mail):
    mail.set_smtp_faults({"reject_rcpt": ["nobody@example.com"]})
    report(ws, mail, 'to: [marie@example.com, nobody@example.com]\nsubject: "Rapport"\ntemplate: rapport')
    p = ws.sluice("run")
    assert p.returncode == 1 and "550" in p.stdout
    run = ws.runs()[0]
    assert run["status"] == "failed", "a 5xx is not retried"
    error = ws.json("show", run["id"])["error"]
    assert "nobody@example.com" in error["message"] and "550" in error["message"] and "unknown user" in error["message"]
    assert error["step"] == "notify[0].email" and error["hint"]
    archived = json.loads(next((ws.root / "archive").rglob("error.json")).read_text())
    assert "550" in archived["message"]
    assert [m["rcpt_tos"] for m in mail.smtp_messages()] == [["marie@example.com"]]
    mail.set_smtp_faults({})
    ws.sluice("reprocess", run["id"], check=True)
    assert [m["rcpt_tos"] for m in mail.smtp_messages()] == [["marie@example.com"], ["nobody@example.com"]], \
        "marie, already done, is not sent again"


def test_a_connection_lost_after_the_final_dot_sends_again_with_the_same_message_id(ws, mail):
    """The post-acceptance window: the server took the message but its answer was lost, so the
    retry sends it again. The copy carries the same Message-ID, so mail programs show one."""
    mail.set_smtp_faults({"drop_after_dot_times": 1})
    report(ws, mail, 'to: marie@example.com\nsubject: "Rapport"\ntemplate: rapport')
    ws.sluice("run", check=True)
    waiting = ws.runs()[0]
    assert waiting["status"] == "waiting" and "may have been delivered" in waiting["lastError"]
    ws.sluice("run", check=True, env={"SLUICE_CLOCK": "2026-11-21T07:11:00Z"})
    assert ws.runs()[0]["status"] == "succeeded"
    got = mail.smtp_messages()
    assert len(got) == 2, "the message arrives twice"
    assert parsed(got[0])["Message-ID"] == parsed(got[1])["Message-ID"]


def test_a_line_break_from_the_data_in_a_header_is_refused(ws, mail):
    report(ws, mail, 'to: marie@example.com\nsubject: "Vente {{ventes.items.0.Produit}}"\ntext: hi',
           sales='Produit,Montant\n"Café\r\nBcc: victim@example.com",1.00\n')
    p = ws.sluice("run")
    assert p.returncode == 1
    error = run_document(ws)["error"]
    assert "Subject" in error["message"] and "line break" in error["message"]
    assert mail.smtp_messages() == []


MESSAGE_COLUMNS = "account,mailbox,uid,message_id,date,from,from_address,from_name,to,cc,reply_to,subject,in_reply_to,references,text,html,attachments"

REPLY = """
triggers: { inbox: { settle: 0s } }
extract:
  - csv: {}
    as: commande
transform:
  - validate:
      columns:
        uid: { type: integer, max: 10 }
      on-invalid: reject-row
      max-rejects: 100%
    as: lignes
notify:
  - email:
      in-reply-to: commande
      cc: direction
      template: reponse
      attach: rejects
    when: lignes.rejects.rows > 0
"""


def test_an_answer_in_the_same_thread_with_the_rejects_attached(ws, mail):
    connect(ws, mail)
    ws.pipeline("commandes", REPLY)
    (ws.root / "pipelines" / "templates" / "reponse.txt").write_text("Bonjour {{commande.items.0.from_name}},\nvoir les lignes rejetées.\n")
    row = ["shop", "INBOX", "42", "order-42@client.example", "2026-11-20T10:00:00", "Anne <anne@client.example>",
           "anne@client.example", "Anne Client", "orders@sluice.test", "", "", "Commande 42",
           "first@client.example", "first@client.example", "voir pièce jointe", "", "commande.xlsx"]
    ws.drop("commandes", "message.csv", MESSAGE_COLUMNS + "\n" + ",".join(row) + "\n")
    ws.sluice("run", check=True)
    got = mail.smtp_messages()
    assert sorted(m["rcpt_tos"][0] for m in got) == ["anne@client.example", "marie@example.com", "paul@example.com"]
    m = parsed(got[0])
    assert m["To"] == "Anne Client <anne@client.example>"
    assert m["Subject"] == "Re: Commande 42"
    assert m["In-Reply-To"] == "<order-42@client.example>"
    assert m["References"].split() == ["<first@client.example>", "<order-42@client.example>"]
    assert m["Auto-Submitted"] == "auto-replied"
    assert "Bonjour Anne Client," in body(m)
    [attachment] = list(m.iter_attachments())
    assert attachment.get_filename() == "message_rejects.csv"
    assert attachment.get_payload(decode=True) == (ws.root / "outbox" / "commandes" / "message_rejects.csv").read_bytes()


def test_plan_composes_without_sending(ws, mail):
    report(ws, mail, 'to: [direction]\nbcc: archives@example.com\nsubject: "Rapport"\ntemplate: rapport')
    p = ws.sluice("plan", "ventes", check=True)
    assert "would write outbox/ventes/notify-0-email.eml" in p.stdout
    assert p.stdout.count("would send the e-mail 'Rapport' to") == 3
    assert mail.smtp_messages() == []


def test_template_preview_and_send_test(ws, mail):
    report(ws, mail, 'to: marie@example.com\nsubject: "Rapport"\ntemplate: rapport')
    ws.sluice("run", check=True)
    run = ws.runs()[0]["id"]
    preview = ws.sluice("template", "preview", "rapport", "--run", run[:17], check=True).stdout
    assert "pipelines/templates/rapport.txt" in preview and "3 ventes, 1 rejetée(s)." in preview
    assert "pipelines/templates/rapport.html" in preview and "<li>Café</li>" in preview
    mail.clear()
    ws.sluice("template", "send-test", "rapport", "--to", "test@example.com", "--run", run, check=True)
    [got] = mail.smtp_messages()
    m = parsed(got)
    assert got["rcpt_tos"] == ["test@example.com"] and m["Subject"] == "Test: rapport"
    assert "3 ventes" in body(m)
    bad = ws.sluice("template", "send-test", "rapport", "--to", "test@example.com", "--connection", "mail-ot")
    assert bad.returncode != 0 and "did you mean 'mail-out'" in bad.stderr


def test_on_failure_answers_the_message_with_its_rejects(ws, mail):
    connect(ws, mail)
    ws.pipeline("commandes", REPLY.replace("on-invalid: reject-row", "on-invalid: fail-run").replace("      max-rejects: 100%\n", "")
                .replace("notify:\n  - email:", "on-failure:\n  - email:").replace("    when: lignes.rejects.rows > 0\n", "")
                .replace("template: reponse", "text: \"{{run.error.message}}\""))
    row = ["shop", "INBOX", "42", "<order-42@client.example>", "", "", "anne@client.example", "", "", "", "", "Commande 42",
           "", "", "", "", ""]
    ws.drop("commandes", "message.csv", MESSAGE_COLUMNS + "\n" + ",".join(row) + "\n")
    p = ws.sluice("run")
    assert p.returncode == 1
    got = sorted(mail.smtp_messages(), key=lambda m: m["rcpt_tos"][0])
    assert [m["rcpt_tos"] for m in got] == [["anne@client.example"], ["marie@example.com"], ["paul@example.com"]]
    m = parsed(got[0])
    assert m["In-Reply-To"] == "<order-42@client.example>" and m["Subject"] == "Re: Commande 42"
    assert "failed validation" in body(m)
    [attachment] = list(m.iter_attachments())
    assert attachment.get_filename() == "message_rejects.csv"
