import Foundation
import Logging

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
        while case let state = run.state ?? lifecycle.state(of: run), let action = lifecycle.actions(in: state).first {
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
                advance(&run, .inputClaimed(outcome), lifecycle)
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
    func advance(_ run: inout RunRecord, _ event: RunEvent, _ lifecycle: RunLifecycle) -> [RunAction] {
        let current = run.state ?? lifecycle.state(of: run)
        do {
            let (next, actions) = try lifecycle.transition(current, event)
            run.state = next
            return actions
        } catch {
            // A bug of the runner, never of a user: the fields the action changed still say
            // everything, so the run goes on from them (and the tests, on a debug build, stop).
            assertionFailure("\(error)")
            logger.error("run state", metadata: ["sluice.run": .string(run.id), "error": .string(error.description)])
            run.state = nil
            return lifecycle.actions(in: lifecycle.state(of: run))
        }
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
