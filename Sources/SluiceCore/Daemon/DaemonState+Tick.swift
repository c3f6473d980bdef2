import Foundation

/// What a tick decides: what the watched triggers say is due (schedule slots, inboxes to look
/// at, sources to poll), the ledger's news, parked runs to wake, the retention prune. Each
/// trigger says what a paused pipeline skips.
extension DaemonState {
    mutating func tick(_ now: Date) -> [DaemonAction] {
        guard !stopping else { return [] }
        var actions: [DaemonAction] = []
        let work = watchedWork(now)
        actions += work.first
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
        actions += work.scans
        if let age = settings.retention, let next = nextPrune, next <= now {
            nextPrune = nil
            actions.append(.prune(age))
        }
        return actions
    }

    /// Asks each pipeline's watched triggers what is due now, and turns their work into
    /// actions and jobs: slots and notices first, then the looks at inboxes; source polls are
    /// queued as jobs (one look at a pipeline's sources at a time).
    mutating func watchedWork(_ now: Date) -> (first: [DaemonAction], scans: [DaemonAction]) {
        if now >= nextRescan {
            woken.formUnion(manifests.keys)
            nextRescan = now + settings.rescanInterval
        }
        if settings.watch == .poll && now >= nextPoll {
            woken.formUnion(manifests.keys)
            nextPoll = now + settings.pollInterval
        }
        for (name, at) in settleAt where at <= now {
            woken.insert(name)
            settleAt[name] = nil
        }
        defer {
            woken = []
            resumedSinceTick = []
        }
        var first: [DaemonAction] = []
        var scans: [DaemonAction] = []
        var collects: [Manifest] = []
        for name in manifests.keys.sorted() {
            let m = manifests[name]!
            let look = TriggerLook(now: now, startedAt: startedAt, woken: woken.contains(name), paused: paused.contains(name),
                                   resumed: resumedSinceTick.contains(name))
            for (watcher, configuration) in m.triggers.watched {
                guard var w = watches[name]?[watcher.key] else { continue }
                let work = watcher.due(configuration, &w, m, look)
                watches[name]?[watcher.key] = w
                for item in work {
                    switch item {
                    case let .startRuns(slots): first.append(.startScheduled(m, slots: slots, trigger: watcher.key))
                    case let .notice(text): first.append(.notice(text))
                    case .scanInbox: scans.append(.scan(m))
                    case .collectSources: collects.append(m)
                    }
                }
            }
        }
        for m in collects where collecting.insert(m.name).inserted { enqueue(.collect(m)) }
        return (first, scans)
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
