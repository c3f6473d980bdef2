import Foundation

/// The driver of the run lifecycle: it asks `RunLifecycle` what to do in the run's state,
/// performs it, and records the event that ends each action as the run's next state.
///
/// Every state is written into the run's record before the record is saved. An action that
/// does not save (moving the claimed inputs, publishing just before archiving, archiving) is
/// repeatable: its state is committed with the next save, and a crash before it repeats the
/// action, which finds its work done. This keeps the ledger writes of a run what they were.
extension Runner {
    /// Performs the lifecycle's actions until the run is finished, parked or stopped.
    @discardableResult
    public func drive(_ start: RunRecord) throws -> RunRecord {
        var run = start
        guard let manifest = try manifestVersion(hash: run.manifestHash, pipeline: run.pipeline) else {
            throw StepError(.internal, "the manifest version \(run.manifestHash.prefix(12)) of run \(run.id) is not in the ledger")
        }
        let stages = manifest.stages.filter { !$0.steps.isEmpty }
        let lifecycle = RunLifecycle(manifest)
        run.state = lifecycle.current(run)
        if run.status == .waiting {
            // Driven while parked: only to be given up (`sluice cancel`); it otherwise stays.
            guard run.cancelRequested == true else { return run }
            run = try giveUp(run, lifecycle)
        }
        observer.runStarted(run)
        var carried: StageEnvironment?
        while let state = run.state, let action = lifecycle.actions(in: state).first {
            if state.isAtCheckpoint, shouldStop() {
                // A clean stop between two checkpoints: the run resumes at the next start.
                _ = try lifecycle.transition(state, .stopRequested)
                run.stopped = true
                try save(&run)
                observer.notice("\(run.id) (\(run.pipeline)) stopped at a checkpoint; it resumes when sluice starts again")
                return run
            }
            switch action {
            case .claimInput:
                run = try moveClaimedInputs(run)
                let outcome: RunEvent.ClaimOutcome = if let failure = run.failure { .refused(failure) }
                    else if run.duplicateOf != nil { .duplicate } else { .process }
                try advance(&run, .inputClaimed(outcome), lifecycle)
            case let .runStage(index):
                run = try runStage(index, of: stages, manifest: manifest, run: run, carried: &carried)
            case .publish:
                let notifyFollows = run.completedStages.count < stages.count
                run = try publish(run, stages: stages, lifecycle: lifecycle, save: notifyFollows, known: carried?.outputs)
            case .notifyFailure:
                run = try notifyFailure(run, manifest: manifest)
            case .archive:
                run = try archive(run, lifecycle)
            case .complete:
                run = try complete(run, lifecycle)
            case .stop, .none:
                break
            }
        }
        observer.runFinished(run)
        return run
    }

    /// Records `event` as the run's new state, for the save that follows; returns what the
    /// lifecycle asks for next. The state is the one `drive` (or `prepareToResume`) took from
    /// the record before changing it: the fields are changed with the event, so they are not
    /// asked again (read from them only when none is set).
    @discardableResult
    func advance(_ run: inout RunRecord, _ event: RunEvent, _ lifecycle: RunLifecycle) throws -> [RunAction] {
        let (next, actions) = try lifecycle.transition(run.state ?? lifecycle.state(of: run), event)
        run.state = next
        return actions
    }

    /// The lifecycle of a run's manifest version (nil when the ledger does not have it).
    func lifecycle(of run: RunRecord) throws -> RunLifecycle? {
        try manifestVersion(hash: run.manifestHash, pipeline: run.pipeline).map(RunLifecycle.init)
    }
}

extension RunLifecycle {
    /// The lifecycle of runs of `manifest`: its non-empty stages, and whether it has `on-failure` steps.
    public init(_ manifest: Manifest) {
        self.init(stages: manifest.stages.filter { !$0.steps.isEmpty }.map(\.name), notifiesFailure: !manifest.onFailure.isEmpty)
    }
}
