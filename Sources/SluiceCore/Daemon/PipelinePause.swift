import Foundation

/// The ledger rule of `sluice pause` and `resume`: the pipeline must exist (a manifest with
/// errors counts), and the ledger must keep pauses.
enum PipelinePause {
    /// Pauses or resumes `pipeline`; returns whether that changed anything.
    static func set(_ pipeline: String, _ paused: Bool, runner: Runner) throws -> Bool {
        let names = runner.loader.loadAll(directory: runner.workspace.pipelines, relativeTo: runner.workspace.root).map(\.name)
        guard names.contains(pipeline) else {
            throw DaemonControlError("no pipeline named '\(pipeline)'\(Suggestion.didYouMean(pipeline, among: names))")
        }
        guard let pauses = runner.ledger as? any PauseLedger else {
            throw DaemonControlError("this ledger does not keep paused pipelines")
        }
        return try pauses.setPaused(pipeline, paused, at: runner.clock.now())
    }
}
