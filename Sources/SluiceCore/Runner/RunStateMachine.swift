/// What the runner does next for a run (`RunLifecycle.actions(in:)`).
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
    /// Stop at this checkpoint (a clean shutdown); the run resumes when sluice starts again.
    case stop
    /// Nothing left to do.
    case none
}

/// The next action for a record read from the ledger, whatever state it has stored: the
/// lifecycle's reading of its fields (`RunLifecycle.state(of:)`).
public enum RunStateMachine {
    /// - Parameters:
    ///   - stages: the names of the manifest's non-empty stages, in order.
    ///   - notifiesFailure: the manifest has `on-failure` steps.
    public static func next(_ run: RunRecord, stages: [StageName], notifiesFailure: Bool = false) -> RunAction {
        let lifecycle = RunLifecycle(stages: stages, notifiesFailure: notifiesFailure)
        return lifecycle.actions(in: lifecycle.state(of: run)).first ?? .none
    }
}
