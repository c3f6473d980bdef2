"""Messages per second fetched from a real Dovecot on loopback and parsed: Sluice's imap step
(each message claimed as a run: fetched without \\Seen, parsed, attachments stored, claim made
durable, then marked seen, the run driven and archived) against a Python peer (imaplib +
email: fetch, parse, write attachments; no ledger, no durability). Same corpus for both.

    python3 Benchmarks/mail/imap_bench.py SLUICE_BIN WORKDIR [MESSAGES]
"""
import email
import email.policy
import imaplib
import os
import shutil
import ssl
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import mailservers  # noqa: E402

USER = "orders@example.test"


def corpus(directory: Path, count: int, attachment_bytes: int = 50_000):
    """`count` order mails, each with an attachment of random bytes (base64 in the message)."""
    directory.mkdir(parents=True, exist_ok=True)
    files = sorted(directory.glob("*.eml"))
    if len(files) == count:
        return files
    for f in files:
        f.unlink()
    for n in range(count):
        m = EmailMessage()
        m["From"] = f"Client {n} <client{n}@example.test>"
        m["To"] = USER
        m["Subject"] = f"Commande {n}"
        m["Message-ID"] = f"<bench-{n}@example.test>"
        m.set_content(f"Bonjour,\nvoici la commande {n}.\n")
        m.add_attachment(os.urandom(attachment_bytes), maintype="application", subtype="octet-stream", filename=f"commande-{n}.bin")
        (directory / f"{n:05d}.eml").write_bytes(m.as_bytes())
    return sorted(directory.glob("*.eml"))


def peer(servers, count):
    ctx = ssl.create_default_context(cafile=servers.ca_file)
    out = Path(servers.dir) / "peer-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    start = time.perf_counter()
    imap = imaplib.IMAP4_SSL("127.0.0.1", servers.imaps_port, ssl_context=ctx)
    imap.login(USER, servers.users[USER])
    imap.select("INBOX")
    _, data = imap.uid("SEARCH", None, "ALL")
    uids = data[0].split()[:count]
    for uid in uids:
        _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        m = email.message_from_bytes(parts[0][1], policy=email.policy.default)
        for part in m.iter_attachments():
            (out / f"{uid.decode()}-{part.get_filename()}").write_bytes(part.get_payload(decode=True))
    imap.logout()
    return len(uids), time.perf_counter() - start


def sluice(servers, binary, work: Path, count):
    ws = work / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    (ws / "pipelines").mkdir(parents=True)
    (ws / "connections.yaml").write_text(
        f"orders-mail:\n  type: imap\n  host: 127.0.0.1\n  port: {servers.imaps_port}\n  tls: implicit\n"
        f"  username: {USER}\n  password: {servers.users[USER]}\n  ca-file: {servers.ca_file}\n")
    (ws / "pipelines" / "bench.yaml").write_text(
        f"triggers: {{ manual: true }}\nextract:\n  - imap: {{ connection: orders-mail, select: all, max-messages: {count}, batch: 100 }}\n"
        "    as: message\n")
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "maxrss_kb=%M", binary, "run", "--root", str(ws)], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"sluice run failed:\n{p.stdout}\n{p.stderr}")
    rss = int(p.stderr.rsplit("maxrss_kb=", 1)[1].split()[0]) / 1024
    runs = subprocess.run([binary, "runs", "--root", str(ws), "--json"], capture_output=True, text=True).stdout
    return runs.count('"succeeded"'), elapsed, rss


def main():
    binary, work = sys.argv[1], Path(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    files = corpus(work / "corpus", count)
    mb = sum(f.stat().st_size for f in files) / 1e6
    servers_dir = work / "servers"
    mailservers.start(servers_dir)
    try:
        servers = mailservers.MailServers(servers_dir)
        servers.clear()
        for f in files:
            servers.deliver(USER, f.read_bytes())
        n_peer, t_peer = peer(servers, count)
        n_sluice, t_sluice, rss = sluice(servers, binary, work, count)
    finally:
        mailservers.stop(servers_dir)
    print(f"corpus: {count} messages, {mb:.1f} MB ({mb / count * 1000:.0f} KB each, one 50 KB attachment)")
    print(f"python imaplib+email (fetch, parse, write attachments): {n_peer} msgs in {t_peer:.2f} s = {n_peer / t_peer:.0f} msgs/s")
    print(f"sluice run (fetch, parse, claim durably, mark seen, run, archive): {n_sluice} runs in {t_sluice:.2f} s = {n_sluice / t_sluice:.0f} msgs/s, peak RSS {rss:.0f} MB")
    print(f"ratio sluice/python: {(n_sluice / t_sluice) / (n_peer / t_peer):.2f}")


if __name__ == "__main__":
    main()
