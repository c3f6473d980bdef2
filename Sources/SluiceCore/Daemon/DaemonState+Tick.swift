import Foundation

/// What a tick decides: schedule slots, the ledger's news, parked runs to wake, inboxes to look
/// at, sources to poll, the retention prune. A paused pipeline's schedule skips its slots, its
/// inbox and sources are left alone.
extension DaemonState {
    mutating func tick(_ now: Date) -> [DaemonAction] {
        guard !stopping else { return [] }
        var actions: [DaemonAction] = []
        actions += fireSchedules(now)
        if refreshLedger {
            actions.append(.readLedger(atStart: firstRefresh))
            refreshLedger = false
            firstRefresh = false
        }
        let due = wakeups.filter { $0.value <= now }.map(\.key).sorted()
        for id in due {
            wakeups[id] = nil
            actions.append(.wake(runID: id))
        }
        actions += inboxesToScan(now)
        pollSources(now)
        if let age = settings.retention, let next = nextPrune, next <= now {
            nextPrune = nil
            actions.append(.prune(age))
        }
        return actions
    }

    mutating func fireSchedules(_ now: Date) -> [DaemonAction] {
        var actions: [DaemonAction] = []
        for (name, state) in schedules.filter({ ($0.value.next ?? .distantFuture) <= now }).sorted(by: { $0.key < $1.key }) {
            guard let manifest = manifests[name] else { continue }
            let due = ScheduleTrigger.due(from: state.next, clock: state.clock, now: now, startedAt: startedAt, misfire: state.misfire)
            schedules[name]?.next = due.next
            if paused.contains(name) {
                if !due.fire.isEmpty { actions.append(.notice("\(name) is paused: \(due.fire.count) scheduled run(s) skipped")) }
                continue
            }
            if due.missed > 0 {
                actions.append(.notice("\(name): \(due.missed) scheduled run\(due.missed == 1 ? "" : "s") missed while sluice was not running; misfire policy \(state.misfire): \(due.caughtUp) caught up"))
            }
            if !due.fire.isEmpty { actions.append(.startScheduled(manifest, slots: due.fire)) }
        }
        return actions
    }

    mutating func inboxesToScan(_ now: Date) -> [DaemonAction] {
        if now >= nextRescan {
            dirtyInboxes.formUnion(manifests.keys)
            nextRescan = now + settings.rescanInterval
        }
        if settings.watch == .poll && now >= nextPoll {
            dirtyInboxes.formUnion(manifests.keys)
            nextPoll = now + settings.pollInterval
        }
        for (name, at) in settleAt where at <= now {
            dirtyInboxes.insert(name)
            settleAt[name] = nil
        }
        defer { dirtyInboxes = [] }
        return dirtyInboxes.sorted().compactMap { name in
            guard let m = manifests[name], m.triggers.inbox != nil, !paused.contains(name) else { return nil }
            return .scan(m)
        }
    }

    /// Enqueues a look at each source that is due; the next look is one poll interval later.
    mutating func pollSources(_ now: Date) {
        for name in polls.filter({ $0.value <= now }).map(\.key).sorted() {
            guard let m = manifests[name] else { polls[name] = nil; continue }
            let interval = Runner.sources(of: m).map(\.source.pollInterval).min() ?? 60
            polls[name] = now + max(1, interval)
            if !paused.contains(name) && collecting.insert(name).inserted { enqueue(.collect(m)) }
        }
    }

    mutating func scanned(_ name: String, ready: [InboxScanner.Candidate], settlesAt: Date?) -> [DaemonAction] {
        if let settlesAt { settleAt[name] = min(settleAt[name] ?? settlesAt, settlesAt) }
        guard let manifest = manifests[name] else { return [] }
        for file in ready where busyPaths.insert(file.path).inserted { enqueue(.claim(file, manifest)) }
        return []
    }

    /// The ledger's unfinished runs: a parked one waits for its wake time (wakes now when it has
    /// come), any other not already known (running or queued) goes on.
    mutating func ledgerRead(_ open: [RunRecord], paused: Set<String>, atStart: Bool, at now: Date) -> [DaemonAction] {
        pausedRead(paused, at: now)
        var actions: [DaemonAction] = []
        for found in open {
            let known = busyRuns.contains(found.id) || pending.contains { if case let .drive(r) = $0.job { r.id == found.id } else { false } }
            if known { continue }
            if found.status == .waiting && found.cancelRequested != true {
                let wake = found.wakeAt ?? now
                if wake <= now { actions.append(.wake(runID: found.id)) } else { wakeups[found.id] = wake }
                continue
            }
            actions.append(.resume(found, atStart: atStart))
        }
        return actions
    }
}
