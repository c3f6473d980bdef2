import Foundation

/// The daemon's looks at pipelines' sources (mailboxes): each every poll interval of its
/// steps, one look at a time per pipeline, on a job thread like a run (the network never
/// blocks the scheduler). The runs a look creates are found in the ledger afterwards and
/// driven like any other.
extension Daemon {
    /// Starts a look at each source that is due; the next look is one poll interval later.
    func pollSources(_ now: Date) {
        let due = lock.withLock { () -> [Manifest] in
            let names = polls.filter { $0.value <= now }.map(\.key).sorted()
            return names.compactMap { name in
                guard let m = manifests[name] else { polls[name] = nil; return nil }
                let interval = Runner.sources(of: m).map(\.source.pollInterval).min() ?? 60
                polls[name] = now + max(1, interval)
                return collecting.insert(name).inserted ? m : nil
            }
        }
        for m in due { enqueue(.collect(m), queue: m.queue) }
    }
}
