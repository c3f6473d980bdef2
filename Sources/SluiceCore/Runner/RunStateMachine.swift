/// The run lifecycle as a pure function: given what the ledger says about a run, the next
/// thing to do. The runner performs the action, persists the new record, and asks again.
/// Tested on its own, without I/O.
///
/// ```
/// claiming → stages (extract, transform, load) → publish → stage notify → publish → archiving → done
///                ╰─ a step fails ─────────→ publishing (rejects only) → on-failure → archiving → done (failed)
///                ╰─ a transient failure, or a `wait` step → waiting ─(wake time)→ the same stage again
/// ```
public enum RunAction: Sendable, Hashable {
    /// Move the claimed input from the inbox (or archive) into the run's work folder.
    case claimInput
    /// Run stage `index` of the manifest's non-empty stages.
    case runStage(index: Int)
    /// Publish the outputs of committed stages (only rejects when the run failed).
    case publish
    /// Move inputs to `archive/` and write `run.json` (and `error.json`).
    case archive
    /// Run the pipeline's `on-failure` steps for a run that failed.
    case notifyFailure
    /// Mark the run finished in the ledger, committing its staged states when it succeeded.
    case complete
    /// Nothing left to do.
    case none
}

public enum RunStateMachine {
    /// - Parameters:
    ///   - stages: the names of the manifest's non-empty stages, in order.
    ///   - notifiesFailure: the manifest has `on-failure` steps.
    public static func next(_ run: RunRecord, stages: [StageName], notifiesFailure: Bool = false) -> RunAction {
        if run.status.isTerminal && run.phase == .done { return .none }
        // Parked until its wake time: the daemon (or a later `sluice run`) wakes it.
        if run.status == .waiting { return .none }
        switch run.phase {
        case .claiming:
            return .claimInput
        case .done:
            return .none
        case .archiving:
            return .complete
        case .stages, .publishing:
            break
        }
        if run.failure != nil || run.duplicateOf != nil {
            if run.failure != nil && !run.published { return .publish }
            if run.failure != nil && notifiesFailure && run.failureNotified != true { return .notifyFailure }
            return .archive
        }
        let done = run.completedStages.count
        if done < stages.count {
            // Outputs are published before the notify stage, so messages can point at them.
            if stages[done] == .notify && run.publishedStages < done { return .publish }
            return .runStage(index: done)
        }
        if run.publishedStages < done { return .publish }
        return .archive
    }
}
