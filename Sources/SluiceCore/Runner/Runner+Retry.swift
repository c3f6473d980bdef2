import Foundation
import Logging

/// Retries, durable waits and giving up.
///
/// A transient failure (network, timeout, HTTP 5xx or 429, a locked database) parks the run
/// as `waiting` with the time of its next attempt, computed from the step's or the
/// pipeline's `retry:` policy (and the server's Retry-After, when longer). The input stays in
/// the run's work folder and the committed checkpoints stay in the ledger; at the wake time
/// the failed stage runs again from its checkpoint, and effects already done are not redone.
/// A permanent failure, or the last attempt's, fails the run at once. Attempts are counted in
/// the run's record, so a restart neither resets nor repeats them. A run whose process dies
/// under it again and again (a file that crashes a step) is given up after as many
/// interruptions as it has attempts, and lands in the archive with that reason.
extension Runner {
    /// The run, ready to drive when it was found unfinished; nil when it must stay parked.
    /// `atStart`: found when the process started, so a run that was under way was interrupted.
    public func prepareToResume(_ found: RunRecord, atStart: Bool) throws -> RunRecord? {
        var run = found
        let lifecycle = try lifecycle(of: run)
        // The state is read from the fields now, before they change (nil when the manifest is
        // missing: `drive` then reports it).
        run.state = lifecycle?.current(run)
        if atStart && run.phase == .stages { try takeBackForgottenArchives(run) }
        if run.status == .waiting {
            if run.cancelRequested == true { return run }
            guard let wake = run.wakeAt, wake <= clock.now() else { return nil }
            return try wakeUp(run, lifecycle)
        }
        guard atStart, run.phase != .claiming else { return run }
        if run.stopped == true {
            run.stopped = nil
            try save(&run)
            return run
        }
        run.interruptions = (run.interruptions ?? 0) + 1
        let budget = try manifestVersion(hash: run.manifestHash, pipeline: run.pipeline)?.retry.maximumAttempts ?? RetryPolicy.defaults.maximumAttempts
        if run.interruptions! >= budget && run.failure == nil && run.phase == .stages {
            let n = run.interruptions!
            run.failure = RunFailure(stage: run.completedStages.last.map { "after \($0)" } ?? "extract", step: "-",
                                     message: "the process stopped \(n) time\(n == 1 ? "" : "s") while this run was under way; it is given up so that it cannot stop the process again",
                                     file: run.inputs.first?.name, place: nil, rows: [],
                                     hint: "check the input and the log; `sluice reprocess \(run.id)` runs it again", transient: false)
            if let lifecycle { advance(&run, .givenUp(run.failure!), lifecycle) }
        }
        try save(&run)
        return run
    }

    /// Takes a parked run out of its wait: its next attempt, or the rest of its stages.
    func wakeUp(_ start: RunRecord, _ lifecycle: RunLifecycle?) throws -> RunRecord {
        var run = start
        if let lifecycle { advance(&run, .woken, lifecycle) }
        if run.waitingFor == "retry" { run.attempt = (run.attempt ?? 1) + 1 }
        run.status = .running
        run.wakeAt = nil
        run.waitingFor = nil
        try save(&run)
        return run
    }

    /// Parks the run until `until`.
    func park(_ start: RunRecord, until: Date, reason: String, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        let event: RunEvent = if reason == "retry", let error = run.retryError { .stepFailed(error, retry: .retry(at: until)) }
            else { .parked(until: until) }
        advance(&run, event, lifecycle)
        run.status = .waiting
        run.wakeAt = until
        run.waitingFor = reason
        try save(&run)
        let what = reason == "retry" ? "attempt \((run.attempt ?? 1) + 1)" : "the rest of the run"
        let zone = (try? manifestVersion(hash: run.manifestHash, pipeline: run.pipeline))?.timeZone ?? .current
        observer.notice("\(run.id) (\(run.pipeline)) waits; \(what) at \(zone.wallClockText(until))")
        return run
    }

    /// After a step failed: parks the run for its next attempt when the failure is transient
    /// and attempts are left, else records the failure.
    func failOrRetry(_ start: RunRecord, manifest: Manifest, step: StepInstance, stage: StageName, _ error: StepError) throws -> RunRecord {
        var run = start
        let policy = (step.retry ?? RetryPolicy()).over(manifest.retry)
        let attempt = run.attempt ?? 1
        if error.transient && attempt < policy.maximumAttempts {
            var delay = policy.delay(afterAttempt: attempt, unit: Self.jitterUnit(run.id, attempt))
            if let asked = error.retryAfter { delay = max(delay, asked) }
            run.retryError = RunFailure(stage: stage.rawValue, step: step.id, error)
            logger.info("run will retry", metadata: ["sluice.run": .string(run.id), "sluice.step": .string(step.id),
                                                        "attempt": .stringConvertible(attempt), "error": .string(error.message)])
            return try park(run, until: clock.now() + delay, reason: "retry", RunLifecycle(manifest))
        }
        var final = error
        if error.transient && policy.maximumAttempts > 1 {
            final.message += " (attempt \(attempt) of \(policy.maximumAttempts): no attempts left)"
        }
        return try fail(run, stage: stage, step: step.id, final, RunLifecycle(manifest))
    }

    /// A number in [0, 1) fixed by the run and attempt: the jitter of that retry's delay.
    static func jitterUnit(_ id: String, _ attempt: Int) -> Double {
        var h = SHA256()
        h.update(Array("\(id)#\(attempt)".utf8))
        let n = h.finalize().prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Double(n) / 4_294_967_296
    }

    /// A parked run a person cancelled: it fails, and its input goes to the archive.
    func giveUp(_ start: RunRecord, _ lifecycle: RunLifecycle) throws -> RunRecord {
        var run = start
        let waited = run.waitingFor == "retry" ? "its next attempt" : "its wake time"
        let reason = run.retryError.map { "; the last attempt failed: \($0.message)" } ?? ""
        run.failure = RunFailure(stage: run.retryError?.stage ?? "wait", step: run.retryError?.step ?? "-",
                                 message: "cancelled while waiting for \(waited)\(reason)", file: run.inputs.first?.name, place: nil,
                                 rows: [], hint: "`sluice reprocess \(run.id)` runs it again", transient: false)
        advance(&run, .givenUp(run.failure!), lifecycle)
        run.status = .running
        run.wakeAt = nil
        run.waitingFor = nil
        run.cancelRequested = nil
        try save(&run)
        return run
    }

    /// Runs the pipeline's `on-failure` steps once for a failed run. Their own failures are
    /// logged and do not change the run; effects they did are recorded, so a resume after a
    /// crash does not repeat them.
    func notifyFailure(_ start: RunRecord, manifest: Manifest) throws -> RunRecord {
        var run = start
        let (connections, _) = connections()
        // Scoped by this run (not the run a reprocess repeats): each run that fails is told of once.
        // Recorded durably at once, also inside a group, like any effect that cannot be taken back.
        let effects = EffectLedger(ledger: ledger, run: run.id, scope: run.id, clock: clock, dryRun: false,
                                   makeDurable: { [self] in try makeDurable() }, crashPoints: crashPoints)
        // The datasets of the last committed stage (the incoming message an answer needs), and
        // what the failed run published (its rejects), for templates and attachments.
        var env = (try? loadEnvironment(run, stages: manifest.stages)) ?? StageEnvironment()
        env.outputs = run.outputs.map { (name: $0.name, path: workspace.root + "/" + $0.path, step: $0.step) }
        let setting = StepSetting(info: runInfo(run, manifest: manifest), inputs: run.inputs, inputFiles: inputFiles(run), outputDirectory: workspace.work(run.id),
                                  effects: effects, states: StagedStateStore(ledger: ledger, pipeline: run.pipeline),
                                  connections: connections, dryRun: false, timeZone: manifest.timeZone)
        for step in manifest.onFailure {
            do {
                // Files the steps write (a message) go to the outbox like the run's other outputs.
                for file in try executeStep(step, stage: .notify, env: env, setting: setting)?.outputs ?? [] {
                    let destination = workspace.outbox(run.pipeline) + "/" + file.name
                    try FileOperations.makeDirectory(workspace.outbox(run.pipeline))
                    try FileOperations.move(file.path, to: destination, deferral: syncs)
                    let (sha, size) = try FileOperations.sha256(path: destination)
                    run.outputs.append(PublishedOutput(name: file.name, path: workspace.relative(destination), size: size, sha256: sha, step: step.id))
                }
            } catch {
                observer.notice("\(run.id): on-failure step \(step.id) failed: \(error)")
                logger.error("on-failure step failed", metadata: ["sluice.run": .string(run.id), "sluice.step": .string(step.id),
                                                                   "error": .string("\(error)")])
            }
            for e in effects.takePending() { try ledger.record(e) }
        }
        run.failureNotified = true
        advance(&run, .failureNotified, RunLifecycle(manifest))
        try save(&run)
        return run
    }
}
