#!/usr/bin/env python3
"""Real mail servers on loopback for the tests, the example run and the benchmarks.

Dovecot (IMAPS and IMAP with STARTTLS) runs with its own configuration in DIR, and an aiosmtpd
server (SMTPS and SMTP with STARTTLS required) accepts mail with AUTH and delivers it into the
Dovecot maildirs of the test users. Everything listens on 127.0.0.1 on free ports.

    python3 scripts/mailservers.py start --dir DIR   # prints DIR/servers.json, servers stay up
    python3 scripts/mailservers.py stop --dir DIR
    python3 scripts/mailservers.py proxy --target-port PORT --drop-after-bytes N

As a library: start(dir) / stop(dir), MailServers(dir) for the helpers (deliver, imap, flags,
messages_in, create_mailbox, change_uidvalidity, smtp_messages, set_smtp_faults, clear) and
DroppingProxy. Runs as root (it starts Dovecot and owns the maildirs by a system user,
sluicemail, created if missing). One supervisor process (`serve`) holds the SMTP servers and
Dovecot (`dovecot -F -c DIR/dovecot.conf`, killed with it); `stop` or the end of --watch-pid ends
both. Users: orders@, team@, customer@example.test, password "<name>-pass" (USERS below).

Credentials only ever travel over TLS: Dovecot has disable_plaintext_auth and ssl = required,
and the plain IMAP port is a relay that makes Dovecot see the client as remote (see _relay).

The SMTP fault file DIR/smtp-faults.json is read on every transaction:
  {"data_451_times": N}           the next N messages get "451 4.3.0 try again later" after the
                                  final dot (nothing is logged or delivered for them)
  {"reject_rcpt": ["a@b", ...]}   RCPT TO those gets "550 5.1.1 <addr>: unknown user"
  {"drop_after_dot_times": N}     the next N messages are logged and delivered, then the
                                  connection is cut instead of the final 250
"""
import argparse
import base64
import ctypes
import imaplib
import json
import os
import pwd
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HOST = "127.0.0.1"
USERS = {
    "orders@example.test": "orders-pass",
    "team@example.test": "team-pass",
    "customer@example.test": "customer-pass",
}
# OAuth 2 access tokens the test introspection endpoint accepts (SASL XOAUTH2), by user.
OAUTH_TOKENS = {"orders@example.test": "orders-oauth-token"}
MAIL_USER = "sluicemail"  # owns the maildirs; Dovecot's mail processes run as it
SMTP_451 = "451 4.3.0 try again later"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"  # sbin may be missing from PATH


def wait_for(predicate, timeout, what):
    """Polls `predicate` until it returns something truthy (returned), or fails at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours still answers kill(0): look at its state.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _write_atomic(path, data, mode=0o644):
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data if isinstance(data, bytes) else data.encode())
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def imap_utf7(name):
    """A mailbox name in IMAP's modified UTF-7 (RFC 3501), as IMAP and Dovecot's maildir use."""
    out, wide = [], []

    def flush():
        if wide:
            b = base64.b64encode("".join(wide).encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + b.decode() + "-")
            wide.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            wide.append(ch)
    flush()
    return "".join(out)


def imap_utf7_decode(name):
    def wide(m):
        b = m.group(1).replace(",", "/")
        return base64.b64decode(b + "=" * (-len(b) % 4)).decode("utf-16-be") if b else "&"
    return re.sub(r"&([^-]*)-", wide, name)


def _quote(mailbox):
    return '"' + imap_utf7(mailbox).replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- setting up ---------------------------------------------------------------------------------

def ensure_mail_user():
    """The (uid, gid) of the system user owning the maildirs, created if missing."""
    try:
        pw = pwd.getpwnam(MAIL_USER)
    except KeyError:
        p = subprocess.run([shutil.which("useradd") or "/usr/sbin/useradd", "--system", "--user-group",
                            "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                            "--comment", "Sluice test mail", MAIL_USER], capture_output=True, text=True)
        try:
            pw = pwd.getpwnam(MAIL_USER)  # made here, or by another run at the same moment
        except KeyError:
            raise RuntimeError(f"could not create the user {MAIL_USER}: {p.stderr.strip()}") from None
    return pw.pw_uid, pw.pw_gid


def ensure_certs(d):
    """A test CA and a server certificate for 127.0.0.1 and localhost in `d` (kept if present)."""
    d = Path(d)
    ca, crt, key = d / "ca.crt", d / "server.crt", d / "server.key"
    if ca.exists() and crt.exists() and key.exists():
        return
    work = d / "certs.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=work, check=True, capture_output=True)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650",
            "-subj", "/CN=Sluice Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    (work / "server.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.crt", "-days", "825", "-extfile", "server.ext")
    for name in ("ca.key", "ca.crt", "server.key", "server.crt"):
        os.replace(work / name, d / name)
    shutil.rmtree(work)
    os.chmod(d / "ca.crt", 0o644)
    os.chmod(d / "server.crt", 0o644)


def _check_traversable(d):
    """Dovecot's auth and mail processes are not root: every folder above DIR must let them through."""
    for p in [d, *d.parents]:
        if not os.stat(p).st_mode & 0o001:
            raise RuntimeError(f"{p} is not traversable by other users (mode {oct(os.stat(p).st_mode & 0o777)}); "
                               "Dovecot's unprivileged processes could not reach the mail folder: use a DIR outside it")


def _base_dir(d):
    """Dovecot's run folder: unix socket paths must stay short, so a long DIR gets one in /tmp."""
    run = d / "run"
    if len(str(run)) <= 60:
        return run
    import hashlib
    return Path("/tmp") / ("sluice-dovecot-" + hashlib.sha1(str(d).encode()).hexdigest()[:12])


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def user_home(d, user):
    return Path(d) / "mail" / user


def write_users(d, uid, gid):
    lines = [f"{u}:{{PLAIN}}{p}:{uid}:{gid}::{user_home(d, u)}::\n" for u, p in USERS.items()]
    path = d / "users"
    _write_atomic(path, "".join(lines), 0o640)
    os.chown(path, 0, pwd.getpwnam("dovecot").pw_gid)
    for u in USERS:
        _maildir(user_home(d, u), uid, gid)


def _maildir(root, uid, gid):
    """A maildir (root, cur, new, tmp) owned by the mail user; its parents stay root's."""
    root = Path(root)
    if not root.parent.exists():
        root.parent.mkdir(parents=True)
        os.chmod(root.parent, 0o711)
    for sub in ("", "cur", "new", "tmp"):
        p = root / sub
        if not p.exists():
            p.mkdir(mode=0o700)
            os.chown(p, uid, gid)


def start_introspection():
    """A token introspection endpoint (RFC 7662, POST token=...) on 127.0.0.1 for Dovecot's
    oauth2 passdb: the tokens of OAUTH_TOKENS are active for their user, anything else is not.
    Runs in a thread of the supervisor; returns its port."""
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    users = {t: u for u, t in OAUTH_TOKENS.items()}

    class Introspect(BaseHTTPRequestHandler):
        def do_POST(self):
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
            user = users.get((form.get("token") or [""])[0])
            body = json.dumps({"active": True, "username": user} if user else {"active": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((HOST, 0), Introspect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def write_dovecot_conf(d, imaps_port, imap_port, uid, gid, introspection_port):
    dh = "/usr/share/dovecot/dh.pem"
    conf = f"""# Written by scripts/mailservers.py: a Dovecot of its own for the tests, on loopback only.
protocols = imap
listen = {HOST}
base_dir = {_base_dir(d)}
state_dir = {d}/state
instance_name = sluice-{os.path.basename(d)}
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
auth_verbose = yes
auth_failure_delay = 0
ssl = required
ssl_cert = <{d}/server.crt
ssl_key = <{d}/server.key
{f"ssl_dh = <{dh}" if os.path.exists(dh) else ""}
disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
last_valid_gid = {gid}
mail_location = maildir:~
mailbox_list_index = no
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN {d}/users
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {d}/oauth2.conf.ext
}}
userdb {{
  driver = passwd-file
  args = {d}/users
}}
# No growing delay for a client after a failed login (Dovecot's auth penalty): tests fail
# logins on purpose, and every client here is 127.0.0.1.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {imaps_port}
    ssl = yes
  }}
}}
"""
    _write_atomic(d / "dovecot.conf", conf)
    _write_atomic(d / "oauth2.conf.ext", f"""introspection_mode = post
introspection_url = http://{HOST}:{introspection_port}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
""")


def _die_with_parent():
    """In the child before exec: SIGTERM when the supervisor dies, however it dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


async def _imap_greets(port, ca=None):
    """True once an IMAP greeting comes on `port` (through TLS checked against `ca` when given)."""
    import asyncio
    try:
        ctx = ssl.create_default_context(cafile=ca) if ca else None
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port, ssl=ctx), 2)
        try:
            return (await asyncio.wait_for(reader.readline(), 2)).startswith(b"* OK")
        finally:
            writer.close()
    except (OSError, asyncio.TimeoutError):
        return False


# --- SMTP ----------------------------------------------------------------------------------------

class SmtpHandler:
    """aiosmtpd handler: faults from DIR/smtp-faults.json, a log in DIR/smtp.jsonl, delivery
    into the maildirs of known users."""

    def __init__(self, d, uid, gid, listener):
        self.d, self.uid, self.gid, self.listener = Path(d), uid, gid, listener

    def faults(self):
        try:
            return json.loads((self.d / "smtp-faults.json").read_text() or "{}")
        except (OSError, ValueError):
            return {}

    def take(self, key):
        """Uses one of the N times of a counted fault: True when it applies to this message."""
        f = self.faults()
        n = int(f.get(key) or 0)
        if n <= 0:
            return False
        f[key] = n - 1
        _write_atomic(self.d / "smtp-faults.json", json.dumps(f))
        return True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in [a.lower() for a in self.faults().get("reject_rcpt", [])]:
            return f"550 5.1.1 <{address}>: unknown user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.take("data_451_times"):
            return SMTP_451
        data = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        record = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                  "data": base64.b64encode(data).decode(),
                  "tls": server.transport.get_extra_info("ssl_object") is not None,
                  "auth_user": session.auth_data if isinstance(session.auth_data, str) else None,
                  "listener": self.listener, "time": datetime.now(timezone.utc).isoformat()}
        with open(self.d / "smtp.jsonl", "a") as f:
            f.write(json.dumps(record) + "\n")
        for rcpt in envelope.rcpt_tos:
            user = next((u for u in USERS if u.lower() == rcpt.lower()), None)
            if user:
                deliver_file(user_home(self.d, user), data, self.uid, self.gid)
        if self.take("drop_after_dot_times"):
            server.transport.abort()
            return "421 4.4.2 connection dropped (fault injection)"  # never reaches the client
        return "250 2.0.0 OK queued"


def _authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult
    login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
    password = auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
    ok = any(u.lower() == (login or "").lower() and p == password for u, p in USERS.items())
    return AuthResult(success=ok, handled=False, auth_data=login if ok else None)


async def _start_smtp(d, uid, gid):
    """The SMTPS (implicit TLS) and STARTTLS-required servers; returns (servers, smtps port, starttls port)."""
    import asyncio
    import logging
    import warnings
    from aiosmtpd.smtp import SMTP
    # aiosmtpd warns about auth_require_tls=False on the implicit-TLS port (see below) and about
    # its own deprecated login_data on every login: neither is news.
    warnings.filterwarnings("ignore", module="aiosmtpd")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(d / "server.crt"), str(d / "server.key"))
    loop = asyncio.get_running_loop()
    common = dict(hostname="localhost", authenticator=_authenticator, auth_required=True, enable_SMTPUTF8=True)
    # On the implicit-TLS port the socket is TLS before SMTP starts, which aiosmtpd's
    # auth_require_tls does not see: AUTH is still only ever over TLS there.
    smtps = await loop.create_server(lambda: SMTP(SmtpHandler(d, uid, gid, "smtps"), auth_require_tls=False, **common),
                                     HOST, 0, ssl=ctx)
    starttls = await loop.create_server(lambda: SMTP(SmtpHandler(d, uid, gid, "starttls"), tls_context=ctx,
                                                     require_starttls=True, auth_require_tls=True, **common),
                                        HOST, 0)
    return [smtps, starttls], smtps.sockets[0].getsockname()[1], starttls.sockets[0].getsockname()[1]


# --- the IMAP (STARTTLS) port --------------------------------------------------------------------
# Dovecot 2.3 counts a connection whose remote address equals its local address as secured
# (localhost), and then allows plaintext LOGIN without TLS. So the plain IMAP port is a relay in
# this process that connects to Dovecot from 127.0.0.2: Dovecot then sees a remote client and
# refuses credentials until STARTTLS, as it would for anyone. IMAPS goes to Dovecot directly.
RELAY_SOURCE = "127.0.0.2"


async def _relay(reader, writer, target_port):
    import asyncio
    try:
        up_reader, up_writer = await asyncio.open_connection(HOST, target_port, local_addr=(RELAY_SOURCE, 0))
    except OSError:
        writer.close()
        return

    async def pipe(src, dst):
        try:
            while True:
                chunk = await src.read(65536)
                if not chunk:
                    break
                dst.write(chunk)
                await dst.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            try:
                dst.close()
            except OSError:
                pass
    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


# --- maildir -------------------------------------------------------------------------------------

_counter = [0]


def mailbox_dir(home, mailbox="INBOX"):
    """A mailbox's folder in the Maildir++ layout Dovecot uses: INBOX is the root, others `.A.B`."""
    if mailbox.upper() == "INBOX":
        return Path(home)
    return Path(home) / ("." + imap_utf7(mailbox).replace("/", "."))


def deliver_file(mailbox_path, raw, uid, gid):
    """Writes one message into a maildir the way an MDA does: tmp/, then a rename into new/."""
    _counter[0] += 1
    now = time.time()
    host = socket.gethostname().replace("/", "\\057").replace(":", "\\072")
    name = f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{_counter[0]}.{host}"
    tmp = Path(mailbox_path) / "tmp" / name
    with open(tmp, "wb") as f:
        f.write(raw)
    os.chown(tmp, uid, gid)
    os.chmod(tmp, 0o600)
    os.rename(tmp, Path(mailbox_path) / "new" / name)
    return name


# --- the supervisor: one process owning Dovecot and the SMTP servers -----------------------------

def serve(d, watch_pid=None):
    """Runs until SIGTERM/SIGINT (or until `watch_pid` is gone): Dovecot as a child, SMTP in here.
    Writes DIR/servers.json once every port answers."""
    import asyncio
    d = Path(d).resolve()
    uid, gid = ensure_mail_user()
    ensure_certs(d)
    write_users(d, uid, gid)
    (d / "state").mkdir(exist_ok=True)
    (d / "supervisor.pid").write_text(str(os.getpid()))

    async def main():
        servers, smtps_port, starttls_port = await _start_smtp(d, uid, gid)
        dovecot_imap_port = [0]
        relay = await asyncio.start_server(lambda r, w: _relay(r, w, dovecot_imap_port[0]), HOST, 0)
        servers.append(relay)
        imap_port = relay.sockets[0].getsockname()[1]
        dovecot = None
        introspection_port = start_introspection()
        for attempt in range(3):  # a free port may be taken between choosing and binding it
            imaps_port, dovecot_imap_port[0] = free_port(), free_port()
            write_dovecot_conf(d, imaps_port, dovecot_imap_port[0], uid, gid, introspection_port)
            with open(d / "dovecot.stderr", "ab") as log:
                dovecot = subprocess.Popen([DOVECOT, "-F", "-c", str(d / "dovecot.conf")], stdin=subprocess.DEVNULL,
                                           stdout=log, stderr=log, preexec_fn=_die_with_parent)
            deadline = time.monotonic() + 15
            while dovecot.poll() is None and time.monotonic() < deadline:
                if await _imap_greets(imap_port) and await _imap_greets(imaps_port, str(d / "ca.crt")):
                    break
                await asyncio.sleep(0.05)
            else:
                if dovecot.poll() is None:
                    dovecot.terminate()
                    dovecot.wait()
                continue
            break
        else:
            raise RuntimeError(f"Dovecot did not start: see {d}/dovecot.log and {d}/dovecot.stderr")
        info = {"host": HOST, "imaps_port": imaps_port, "imap_port": imap_port, "smtps_port": smtps_port,
                "starttls_port": starttls_port, "ca_file": str(d / "ca.crt"), "users": USERS, "oauth_tokens": OAUTH_TOKENS, "dir": str(d),
                "pid": os.getpid(), "dovecot_pid": dovecot.pid, "dovecot_imap_port": dovecot_imap_port[0],
                "mail_uid": uid, "mail_gid": gid}
        _write_atomic(d / "servers.json", json.dumps(info, indent=2) + "\n")

        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        try:
            while not stop.is_set():
                if dovecot.poll() is not None:
                    print(f"dovecot exited with {dovecot.returncode}", file=sys.stderr)
                    break
                if watch_pid and not _alive(watch_pid):
                    break
                try:
                    await asyncio.wait_for(stop.wait(), 0.5)
                except asyncio.TimeoutError:
                    pass
        finally:
            for s in servers:
                s.close()
            if dovecot.poll() is None:
                dovecot.terminate()
                try:
                    dovecot.wait(10)
                except subprocess.TimeoutExpired:
                    dovecot.kill()
                    dovecot.wait()
            for name in ("servers.json", "supervisor.pid"):
                try:
                    (d / name).unlink()
                except FileNotFoundError:
                    pass
    asyncio.run(main())


def running(d):
    """servers.json of a live supervisor in `d`, else None."""
    try:
        info = json.loads((Path(d) / "servers.json").read_text())
    except (OSError, ValueError):
        return None
    return info if _alive(info["pid"]) else None


_started = {}  # DIR -> the supervisor this process started, reaped by stop()


def start(d, watch_pid=None, timeout=30):
    """Starts the servers in `d` in the background (or finds them running there); returns servers.json.
    With `watch_pid`, they stop by themselves when that process is gone. `d` is made mode 0711:
    Dovecot's unprivileged processes go through it."""
    d = Path(d).resolve()
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o711)
    _check_traversable(d)
    info = running(d)
    if info:
        return info
    stop(d)  # whatever a crashed supervisor left
    args = [sys.executable, str(Path(__file__).resolve()), "serve", "--dir", str(d)]
    if watch_pid:
        args += ["--watch-pid", str(watch_pid)]
    with open(d / "supervisor.log", "ab") as log:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    _started[str(d)] = proc

    def up():
        if proc.poll() is not None:
            raise RuntimeError(f"the mail servers did not start (exit {proc.returncode}): "
                               f"{(d / 'supervisor.log').read_text()[-2000:]}")
        info = running(d)
        return info if info and info["pid"] == proc.pid else None
    return wait_for(up, timeout, "the mail servers")


def stop(d, timeout=15):
    """Stops the servers started in `d`: the supervisor, which stops Dovecot; a Dovecot left alone
    by a killed supervisor is stopped too. Returns once they are gone."""
    d = Path(d).resolve()
    pids = []
    for f in ("supervisor.pid", _base_dir(d) / "master.pid"):
        try:
            pids.append(int((d / f).read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            pass
    for pid in pids:
        if _alive(pid) and _is_ours(pid, d):
            os.kill(pid, signal.SIGTERM)
    try:
        wait_for(lambda: not any(_alive(p) and _is_ours(p, d) for p in pids), timeout, "the mail servers to stop")
    except TimeoutError:
        for pid in pids:
            if _alive(pid) and _is_ours(pid, d):
                os.kill(pid, signal.SIGKILL)
    for name in ("servers.json", "supervisor.pid"):
        try:
            (d / name).unlink()
        except FileNotFoundError:
            pass
    proc = _started.pop(str(d), None)
    if proc:
        proc.wait(timeout)


def _is_ours(pid, d):
    """Only a process started for this DIR is stopped: a reused pid is left alone."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return str(d).encode() in b" ".join(cmd)


# --- helpers for tests and scripts ---------------------------------------------------------------

class MailServers:
    """The servers running in DIR (see start()) and what tests do with them."""

    def __init__(self, d):
        self.dir = Path(d).resolve()
        info = json.loads((self.dir / "servers.json").read_text())
        self.info = info
        self.host = info["host"]
        self.imaps_port, self.imap_port = info["imaps_port"], info["imap_port"]
        self.smtps_port, self.starttls_port = info["smtps_port"], info["starttls_port"]
        self.ca_file = info["ca_file"]
        self.users = dict(info["users"])
        self.oauth_tokens = dict(info.get("oauth_tokens", {}))
        self.uid, self.gid = info["mail_uid"], info["mail_gid"]

    # maildirs
    def mailbox_path(self, user, mailbox="INBOX"):
        return mailbox_dir(user_home(self.dir, user), mailbox)

    def create_mailbox(self, user, mailbox):
        """Creates a mailbox (and its parents) in the user's maildir, as Dovecot would."""
        if mailbox.upper() == "INBOX":
            return self.mailbox_path(user)
        parts = mailbox.split("/")
        for i in range(1, len(parts) + 1):
            path = self.mailbox_path(user, "/".join(parts[:i]))
            if not path.exists():
                _maildir(path, self.uid, self.gid)
                (path / "maildirfolder").touch()
                os.chown(path / "maildirfolder", self.uid, self.gid)
        return path

    def deliver(self, user, raw, mailbox="INBOX"):
        """Puts a message straight into a mailbox of `user` (created if needed); returns its file name."""
        if isinstance(raw, str):
            raw = raw.encode()
        return deliver_file(self.create_mailbox(user, mailbox), raw, self.uid, self.gid)

    # IMAP, for assertions
    def ssl_context(self):
        return ssl.create_default_context(cafile=self.ca_file)

    def imap(self, user):
        """A logged-in imaplib.IMAP4_SSL for `user` on the IMAPS port, checking the test CA."""
        c = imaplib.IMAP4_SSL(self.host, self.imaps_port, ssl_context=self.ssl_context(), timeout=30)
        c.login(user, self.users[user])
        return c

    def _fetch(self, user, mailbox, items):
        c = self.imap(user)
        try:
            typ, data = c.select(_quote(mailbox), readonly=True)
            if typ != "OK":
                raise KeyError(f"{user} has no mailbox {mailbox}: {data}")
            typ, data = c.uid("FETCH", "1:*", f"(UID {items})")
            return [d for d in data if d is not None]
        finally:
            c.logout()

    def flags(self, user, mailbox="INBOX"):
        """{uid: set of flags} of the messages in a mailbox."""
        out = {}
        for line in self._fetch(user, mailbox, "FLAGS"):
            line = line[0] if isinstance(line, tuple) else line
            m = re.search(rb"UID (\d+)", line)
            f = re.search(rb"FLAGS \(([^)]*)\)", line)
            if m and f:
                out[int(m.group(1))] = set(f.group(1).decode().split())
        return out

    def messages_in(self, user, mailbox="INBOX"):
        """{uid: raw bytes} of the messages in a mailbox, in UID order (read without setting \\Seen)."""
        out = {}
        for part in self._fetch(user, mailbox, "BODY.PEEK[]"):
            if isinstance(part, tuple):
                out[int(re.search(rb"UID (\d+)", part[0]).group(1))] = part[1]
        return dict(sorted(out.items()))

    def mailboxes(self, user):
        c = self.imap(user)
        try:
            typ, data = c.list()
            return sorted(imap_utf7_decode(re.match(rb'\(.*?\) (?:"[^"]*"|NIL) (.*)', d).group(1).decode().strip('"'))
                          for d in data if d)
        finally:
            c.logout()

    def status(self, user, mailbox="INBOX"):
        """{"MESSAGES": n, "UIDNEXT": n, "UIDVALIDITY": n, "UNSEEN": n} of a mailbox."""
        c = self.imap(user)
        try:
            typ, data = c.status(_quote(mailbox), "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN)")
            if typ != "OK":
                raise KeyError(f"{user} has no mailbox {mailbox}: {data}")
            return {k.decode(): int(v) for k, v in re.findall(rb"(\w+) (\d+)", data[0].split(b"(", 1)[1])}
        finally:
            c.logout()

    def change_uidvalidity(self, user, mailbox="INBOX", timeout=10):
        """Makes Dovecot give the mailbox a new UIDVALIDITY (and new UIDs), keeping its messages and
        flags: its uidlist and index files are deleted, and Dovecot rebuilds them from the message
        files with the next value of the user's dovecot-uidvalidity. Returns (old, new)."""
        before = self.status(user, mailbox)
        path = self.mailbox_path(user, mailbox)
        for f in [*path.glob("dovecot-uidlist*"), *path.glob("dovecot.index*")]:
            f.unlink()
        for f in user_home(self.dir, user).glob("dovecot.list.index*"):
            f.unlink()

        def changed():
            s = self.status(user, mailbox)
            return s if s["UIDVALIDITY"] != before["UIDVALIDITY"] else None
        after = wait_for(changed, timeout, "a new UIDVALIDITY")
        if after["MESSAGES"] != before["MESSAGES"]:
            raise AssertionError(f"changing UIDVALIDITY lost messages: {before} -> {after}")
        return before["UIDVALIDITY"], after["UIDVALIDITY"]

    # SMTP
    def smtp_messages(self):
        """What the SMTP server accepted, oldest first: dicts with mail_from, rcpt_tos, data (bytes),
        tls, auth_user, listener ("smtps" or "starttls") and time."""
        try:
            lines = (self.dir / "smtp.jsonl").read_text().splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            if line.strip():
                r = json.loads(line)
                r["data"] = base64.b64decode(r["data"])
                out.append(r)
        return out

    def set_smtp_faults(self, faults):
        _write_atomic(self.dir / "smtp-faults.json", json.dumps(faults))

    def clear(self):
        """Empties the SMTP log, resets the faults, and empties every user's mail: INBOX emptied,
        other mailboxes gone, Dovecot's indexes with them, so UIDs start again at 1 (under a new
        UIDVALIDITY: the user's dovecot-uidvalidity file is kept). Between tests, with no IMAP
        session open."""
        self.set_smtp_faults({})
        (self.dir / "smtp.jsonl").write_text("")
        for user in self.users:
            home = user_home(self.dir, user)
            for p in home.iterdir():
                if p.name.startswith("dovecot-uidvalidity"):
                    continue
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                else:
                    p.unlink()
            _maildir(home, self.uid, self.gid)


class DroppingProxy:
    """A TCP proxy on 127.0.0.1 (port .port) to `target_port` that, for its first `drops`
    connections reaching `drop_after_bytes` bytes from the server, forwards exactly that many
    bytes to the client and then cuts both sockets; later connections are passed through."""

    def __init__(self, target_port, drop_after_bytes, drops=1, target_host=HOST):
        self.target = (target_host, target_port)
        self.limit = drop_after_bytes
        self.drops_left = drops
        self.dropped = 0
        self.connections = 0
        self.lock = threading.Lock()
        self.sock = socket.create_server((HOST, 0))
        self.port = self.sock.getsockname()[1]
        self.open = set()
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client):
        try:
            server = socket.create_connection(self.target, timeout=10)
        except OSError:
            client.close()
            return
        with self.lock:
            self.connections += 1
            self.open.update((client, server))
        sent = 0
        try:
            while True:
                readable, _, _ = select.select([client, server], [], [], 1)
                if self.closed:
                    return
                for s in readable:
                    chunk = s.recv(65536)
                    if not chunk:
                        return
                    if s is client:
                        server.sendall(chunk)
                        continue
                    with self.lock:
                        drop = self.drops_left > 0 and sent + len(chunk) >= self.limit
                        if drop:
                            self.drops_left -= 1
                            self.dropped += 1
                    if drop:
                        client.sendall(chunk[:self.limit - sent])
                        return
                    client.sendall(chunk)
                    sent += len(chunk)
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
                with self.lock:
                    self.open.discard(s)

    def close(self):
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the thread
        except OSError:
            pass
        self.sock.close()
        with self.lock:
            socks = list(self.open)
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.thread.join(5)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("start", "stop", "serve", "status"):
        p = sub.add_parser(name)
        p.add_argument("--dir", required=True)
        if name in ("start", "serve"):
            p.add_argument("--watch-pid", type=int, help="stop when this process is gone")
    p = sub.add_parser("proxy", help="a DroppingProxy in the foreground; prints its port")
    p.add_argument("--target-port", type=int, required=True)
    p.add_argument("--drop-after-bytes", type=int, required=True)
    p.add_argument("--drops", type=int, default=1)
    args = ap.parse_args()
    if args.cmd == "start":
        print(json.dumps(start(args.dir, args.watch_pid), indent=2))
    elif args.cmd == "serve":
        serve(args.dir, args.watch_pid)
    elif args.cmd == "stop":
        stop(args.dir)
    elif args.cmd == "status":
        info = running(args.dir)
        print(json.dumps(info, indent=2) if info else "not running")
        sys.exit(0 if info else 1)
    elif args.cmd == "proxy":
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
        proxy = DroppingProxy(args.target_port, args.drop_after_bytes, args.drops)
        print(proxy.port, flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
        finally:
            proxy.close()


if __name__ == "__main__":
    main()
