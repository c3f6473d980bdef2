"""`sluice inspect FILE.eml`: what Sluice sees in a message, compared with what Python's email
package read from the same fixtures (shared/fixtures/eml/*.expected.json)."""
import json
import subprocess

import pytest

from conftest import BIN, REPO

EML = REPO.parent / "shared" / "fixtures" / "eml"
KEYS = {"subject", "from", "to", "cc", "date", "message_id", "attachments", "defects", "truncated", "parts"}
ATTACHMENT_KEYS = {"original_name", "safe_name", "content_type", "size", "sha256", "inline", "complete", "defects"}


def inspect_json(path):
    p = subprocess.run([BIN, "inspect", str(path), "--json"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("name", ["mailparser__nodemailer", "mikel__attachment_message_rfc822", "adversarial/adv_att_dotdot"])
def test_inspect_json_matches_the_reference(name):
    expected = json.loads((EML / f"{name}.expected.json").read_text())
    doc = inspect_json(EML / f"{name}.eml")
    assert set(doc) == KEYS
    assert doc["subject"] == expected["subject"]
    assert doc["from"] == expected["from"]
    assert doc["truncated"] is False and doc["defects"] == []
    assert len(doc["attachments"]) == len(expected["attachments"])
    for ours, ref in zip(doc["attachments"], expected["attachments"]):
        assert set(ours) == ATTACHMENT_KEYS
        assert ours["original_name"] == ref["filename"]
        assert (ours["content_type"], ours["size"], ours["sha256"]) == (ref["content_type"], ref["size"], ref["sha256"])
        assert ours["complete"] is True and ours["defects"] == []
        assert "/" not in ours["safe_name"] and not ours["safe_name"].startswith(".")


def test_inspect_shows_safe_names_and_defects():
    doc = inspect_json(EML / "adversarial" / "adv_att_dotdot.eml")
    assert [a["safe_name"] for a in doc["attachments"]] == ["passwd"]
    bad = inspect_json(EML / "adversarial" / "adv_bad_base64.eml")
    assert [d["code"] for d in bad["attachments"][0]["defects"]] == ["invalidBase64"]
    assert bad["attachments"][0]["sha256"] == json.loads((EML / "adversarial" / "adv_bad_base64.expected.json").read_text())["attachments"][0]["sha256"]


TRUNCATED = (
    "From: Sender <sender@example.com>\r\n"
    "To: inbox@example.com\r\n"
    "Subject: cut short\r\n"
    "Date: Mon, 01 Jan 2024 09:30:00 +0100\r\n"
    "Message-ID: <cut@example.com>\r\n"
    "Content-Type: multipart/mixed; boundary=B\r\n"
    "\r\n"
    "--B\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "see attachment\r\n"
    "--B\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"facture.pdf\"\r\n"
    "\r\n"
    "JVBERi0xLjQKJcfs\r\n"
)


def test_inspect_reports_a_truncated_message(tmp_path):
    f = tmp_path / "cut.eml"
    f.write_bytes(TRUNCATED.encode())
    doc = inspect_json(f)
    assert doc["truncated"] is True
    assert doc["subject"] == "cut short" and doc["from"] == "Sender <sender@example.com>"
    assert doc["date"] == "2024-01-01T08:30:00Z" and doc["message_id"] == "cut@example.com"
    assert [d["code"] for d in doc["defects"]] == ["truncated"]
    [a] = doc["attachments"]
    assert a["original_name"] == "facture.pdf" and a["complete"] is False
    assert [d["code"] for d in a["defects"]] == ["truncated"]
    human = subprocess.run([BIN, "inspect", str(f)], capture_output=True, text=True, timeout=60)
    assert human.returncode == 0
    assert "TRUNCATED" in human.stdout and "facture.pdf" in human.stdout


def test_inspect_names_an_unreadable_message(tmp_path):
    missing = tmp_path / "nope.eml"
    p = subprocess.run([BIN, "inspect", str(missing), "--json"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert str(missing) in p.stderr
