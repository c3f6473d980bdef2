"""The peer for mime-bench: Python's email package (policy=default) on the same files, in the
same way: every message parsed, every attachment's content decoded, nothing written.
Prints the same line as mime-bench."""
import email
import email.policy
import sys
import time
from pathlib import Path

directory, repeats = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1
contents = [p.read_bytes() for p in sorted(directory.glob("*.eml"))]
attachments = decoded = total = 0
start = time.perf_counter()
for _ in range(repeats):
    for raw in contents:
        m = email.message_from_bytes(raw, policy=email.policy.default)
        for part in m.walk():
            if part.is_multipart():
                continue
            if part.get_filename() or part.get_content_disposition() == "attachment":
                attachments += 1
                decoded += len(part.get_payload(decode=True) or b"")
        total += len(raw)
print(f"bytes={total} messages={len(contents) * repeats} attachments={attachments} decoded={decoded} seconds={time.perf_counter() - start}")
