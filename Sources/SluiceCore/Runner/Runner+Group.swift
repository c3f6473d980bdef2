import Foundation

/// Group commit for batch runs. The ledger writes of up to `Runner.groupSize` runs are one
/// transaction, and the files they wrote are synced together (one `syncfs`) just before it
/// commits: a batch of small files pays for a few fsyncs per group instead of a dozen per run.
///
/// Nothing is reported done before its group is durable: `sluice run` returns after the last
/// commit. Claims are committed before their inputs move. A crash forgets only the open group;
/// its runs resume from their claims, and every later step is repeatable: inputs are taken
/// back from where the run had moved them (its work folder or its archive folder), outputs are
/// rewritten with the same bytes, database loads are recognised by their effect keys. An
/// effect whose target cannot recognise a repeat (a webhook) makes the group durable at once
/// after it, so its record is never lost.
final class GroupCommit: Sendable {
    private let open = MutexBox(false)
    /// Runs that ended inside the group, whose sources hear of it once the group is committed
    /// (a message moved to `processed` cannot be moved back if a crash forgets the run's end).
    private let endedRuns = MutexBox<[RunRecord]>([])

    var isOpen: Bool { open.withLock { $0 } }

    func set(open value: Bool) { open.withLock { $0 = value } }

    func holdReport(_ run: RunRecord) { endedRuns.withLock { $0.append(run) } }

    func takeReports() -> [RunRecord] {
        endedRuns.withLock { runs in
            let taken = runs
            runs = []
            return taken
        }
    }
}

extension Runner {
    /// Opens a group: from here file syncs wait for `makeDurable()`.
    func openGroup() throws {
        guard !group.isOpen else { return }
        syncs.set(deferring: true)
        try ledger.beginGroup()
        group.set(open: true)
    }

    /// Makes everything so far durable: the files (and target databases) first, then the
    /// ledger's commit that names them. The group stays open for what follows.
    func makeDurable() throws {
        guard group.isOpen else { return }
        try commitGroup()
        crashPoints.reached("after-group-commit")
        try ledger.beginGroup()
    }

    /// Commits the open group and goes back to syncing each write at once.
    func closeGroup() throws {
        guard group.isOpen else { return }
        defer {
            syncs.set(deferring: false)
            group.set(open: false)
        }
        try commitGroup()
    }

    private func commitGroup() throws {
        try syncs.syncFileSystems([workspace.root])
        try ledger.commitGroup()
        for run in group.takeReports() { reportToSource(run) }
    }
}

extension Runner {
    /// The sync deferral of this runner's group commit, for the file operations it does.
    var syncs: SyncDeferral { resources.syncs }
    /// This runner's crash points.
    var crashPoints: CrashPoints { resources.crashPoints }
}
