# The two commands of the README: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
SWIFT ?= swift
# The Python tools live in a virtual environment the scripts own (scripts/install-deps.sh).
PYTHON := $(CURDIR)/.venv/bin/python

.PHONY: run test build release unit e2e bench deps clean

deps:
	@scripts/install-deps.sh

release: deps
	$(SWIFT) build -c release --product sluice

build: deps
	$(SWIFT) build --build-tests

# Runs the example workspace end to end: builds, fills the inboxes from examples/ and the order
# mailbox from examples/mailbox/ (local mail servers on 127.0.0.1), processes them.
run: release
	@scripts/install-deps.sh --mail
	@scripts/run-examples.sh

# The whole test suite: Swift unit tests, then end-to-end tests of the built binary.
test:
	@scripts/install-deps.sh --test
	$(SWIFT) build --build-tests
	# The Swift tests that compare with openpyxl run `python3`: the one of .venv/, with the pinned tools.
	PATH=$(CURDIR)/.venv/bin:$$PATH $(SWIFT) test --skip-build --parallel
	SLUICE_BIN=$(CURDIR)/.build/debug/sluice $(PYTHON) -m pytest -q Tests/EndToEnd

# Speed and memory against peers in the same run: the pipeline runner, the xlsx reader and writer,
# then the daemon (drop-to-start latency, idle CPU with 1,000 schedules), then mail (IMAP messages/s
# from Dovecot, MIME MB/s, against Python's imaplib and email).
bench: deps
	@Benchmarks/pipeline/run.sh
	@Benchmarks/xlsx/run.sh
	@Benchmarks/daemon/run.sh
	@Benchmarks/mail/run.sh

# The example workspace's inbox/, outbox/ and archive/ stay (they are part of the layout), emptied.
clean:
	rm -rf .build .sluice data .venv
	find inbox outbox archive -mindepth 1 ! -name .gitkeep -delete
