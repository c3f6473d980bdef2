import Foundation

/// Queues and limits: jobs wait in their pipeline's queue; `dispatch` starts what the limits
/// allow, queues by priority, each queue first come, first served.
extension DaemonState {
    mutating func enqueue(_ job: DaemonJob) {
        sequence += 1
        if case let .drive(run) = job, run.phase == .claiming {
            for input in run.inputs { busyPaths.insert(workspaceRoot + "/" + input.origin) }
        }
        let queue = manifests[job.pipeline]?.queue ?? "default"
        pending.append(DaemonTicket(job: job, queue: settings.queues[queue] == nil ? "default" : queue, sequence: sequence))
    }

    /// The jobs to start now, counted as running until `jobFinished`.
    public mutating func dispatch() -> [DaemonTicket] {
        guard !stopping else { return [] }
        let priority = Dictionary(uniqueKeysWithValues: settings.queues.values.map { ($0.name, $0.priority) })
        pending.sort { (-(priority[$0.queue] ?? 0), $0.sequence) < (-(priority[$1.queue] ?? 0), $1.sequence) }
        var chosen: [DaemonTicket] = []
        var kept: [DaemonTicket] = []
        for p in pending {
            let pipeline = p.job.pipeline
            let concurrency = manifests[pipeline]?.concurrency ?? 1
            if dispatcher.canStart(pipeline: pipeline, queue: p.queue, concurrency: concurrency) {
                dispatcher.started(pipeline: pipeline, queue: p.queue)
                if case let .drive(run) = p.job { busyRuns.insert(run.id) }
                chosen.append(p)
            } else {
                kept.append(p)
            }
        }
        pending = kept
        return chosen
    }

    mutating func finished(_ p: DaemonTicket, result: RunRecord?, startedFollowers: Bool, at now: Date) {
        dispatcher.finished(pipeline: p.job.pipeline, queue: p.queue)
        switch p.job {
        case let .claim(file, _): busyPaths.remove(file.path)
        case let .collect(m): collecting.remove(m.name)
        case let .drive(run):
            busyRuns.remove(run.id)
            for input in run.inputs { busyPaths.remove(workspaceRoot + "/" + input.origin) }
        }
        if let result, result.status == .waiting, result.cancelRequested != true {
            wakeups[result.id] = result.wakeAt ?? now
        }
        // Only a run that started followers (or one that ended unexpectedly) left new work in the ledger.
        if startedFollowers || result == nil { refreshLedger = true }
    }
}
