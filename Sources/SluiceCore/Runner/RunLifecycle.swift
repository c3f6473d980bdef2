import Foundation

/// What happened to a run: the outcome of an action the runner performed, or a request
/// from outside (a cancel, a shutdown).
public enum RunEvent: Sendable, Hashable {
    /// The claimed inputs are in the run's work folder.
    case inputClaimed(ClaimOutcome)
    /// Stage `index` committed its checkpoint.
    case stageCommitted(Int)
    /// A step failed; `retry` says whether the run tries again (a transient failure with attempts left).
    case stepFailed(RunFailure, retry: RetryDecision)
    /// A `wait` step parked the run until `until`.
    case parked(until: Date)
    /// A parked run's wake time came (or a person asked for the next attempt now).
    case woken
    /// The outputs (or, for a failed run, its rejects) are in the outbox.
    case published
    /// The pipeline's `on-failure` steps ran.
    case failureNotified
    /// The inputs are in the archive, with run.json.
    case archived
    /// The ledger marked the run finished.
    case completed
    /// A person gave up a parked run (`sluice cancel`), or the process stopped under the run
    /// as often as it has attempts: it fails with this reason.
    case givenUp(RunFailure)
    /// The process is shutting down cleanly.
    case stopRequested

    /// What the claim found.
    public enum ClaimOutcome: Sendable, Hashable {
        /// New content: the stages run.
        case process
        /// Content a run already processed: archived as a duplicate.
        case duplicate
        /// An entry that cannot be processed (a folder, a link): archived as failed.
        case refused(RunFailure)
    }

    /// Whether a failed step is tried again.
    public enum RetryDecision: Sendable, Hashable {
        case giveUp
        case retry(at: Date)
    }
}

/// The run lifecycle as a pure function: `(state, event) -> (state, [action])`. The runner
/// performs the actions, each of which ends in the next event, and persists every state with
/// the run's record. Tested on its own, without I/O.
public struct RunLifecycle: Sendable, Hashable {
    /// The names of the manifest's non-empty stages, in order.
    public var stages: [StageName]
    /// The manifest has `on-failure` steps.
    public var notifiesFailure: Bool

    public init(stages: [StageName], notifiesFailure: Bool = false) {
        self.stages = stages
        self.notifiesFailure = notifiesFailure
    }

    /// An event the state does not accept (a stage committed that was not running, a wake-up
    /// of a run that is not parked): a bug in the runner, never a user's mistake.
    public struct IllegalTransition: Error, Hashable, CustomStringConvertible {
        public var state: RunState
        public var event: RunEvent
        public var description: String { "a run in state \(state) cannot take the event \(event)" }
    }

    /// The state after `event`, and what the runner does next.
    public func transition(_ state: RunState, _ event: RunEvent) throws(IllegalTransition) -> (RunState, [RunAction]) {
        let next: RunState
        switch (state, event) {
        case (.claimed, .inputClaimed(.process)):
            next = stages.isEmpty ? .archiving : .stage(0)
        case (.claimed, .inputClaimed(.duplicate)):
            next = .archiving
        case let (.claimed, .inputClaimed(.refused(failure))):
            next = .failed(failure, .publishRejects)
        case let (.stage(n), .stageCommitted(committed)) where committed == n:
            next = afterCommitting(n)
        case let (.stage(_), .stepFailed(failure, .giveUp)):
            next = .failed(failure, .publishRejects)
        case let (.stage(n), .stepFailed(_, .retry(at))):
            next = .waiting(until: at, reason: .retry, stage: n)
        case let (.stage(n), .parked(until)):
            next = .waiting(until: until, reason: .wait, stage: n)
        case let (.publishing(then), .published):
            next = then.map { .stage($0) } ?? .archiving
        case let (.waiting(_, _, n), .woken):
            next = .stage(n)
        case let (.stage, .givenUp(failure)), let (.publishing, .givenUp(failure)), let (.waiting, .givenUp(failure)),
             let (.archiving, .givenUp(failure)):
            next = .failed(failure, .publishRejects)
        case let (.failed(failure, .publishRejects), .published):
            next = notifiesFailure ? .failed(failure, .notify) : .archiving
        case (.failed(_, .notify), .failureNotified):
            next = .archiving
        case (.archiving, .archived):
            next = .completing
        case (.completing, .completed):
            next = .done
        case (_, .stopRequested) where state.isAtCheckpoint:
            return (state, [.stop])
        default:
            throw IllegalTransition(state: state, event: event)
        }
        return (next, actions(in: next))
    }

    /// What the runner does in `state`: nothing for a parked or finished run.
    public func actions(in state: RunState) -> [RunAction] {
        switch state {
        case .claimed: [.claimInput]
        case let .stage(n): [.runStage(index: n)]
        case .publishing, .failed(_, .publishRejects): [.publish]
        case .failed(_, .notify): [.notifyFailure]
        case .archiving: [.archive]
        case .completing: [.complete]
        case .waiting, .done: []
        }
    }

    /// After stage `n` committed: its outputs are published before a notify stage (so messages
    /// can point at them) and at the end; otherwise the next stage runs.
    func afterCommitting(_ n: Int) -> RunState {
        let following = n + 1
        if following >= stages.count { return .publishing(then: nil) }
        return stages[following] == .notify ? .publishing(then: following) : .stage(following)
    }

    /// The state of a record that has none stored: one written before states were (or made by
    /// code that leaves the state to the runner), read from its fields.
    public func state(of run: RunRecord) -> RunState {
        if run.phase == .done { return .done }
        if run.status == .waiting {
            return .waiting(until: run.wakeAt ?? Date(timeIntervalSince1970: 0),
                            reason: RunState.WaitReason(rawValue: run.waitingFor ?? "") ?? .retry, stage: run.completedStages.count)
        }
        switch run.phase {
        case .claiming: return .claimed
        case .archiving: return .completing
        case .done: return .done
        case .stages, .publishing: break
        }
        if let failure = run.failure {
            if !run.published { return .failed(failure, .publishRejects) }
            if notifiesFailure && run.failureNotified != true { return .failed(failure, .notify) }
            return .archiving
        }
        if run.duplicateOf != nil { return .archiving }
        let done = run.completedStages.count
        if done < stages.count {
            if stages[done] == .notify && run.publishedStages < done { return .publishing(then: done) }
            return .stage(done)
        }
        return run.publishedStages < done ? .publishing(then: nil) : .archiving
    }

    /// The run's state: the stored one, else (none stored, or one its phase and status no longer
    /// agree with: the record was changed by other code, an older sluice, a test) read from its fields.
    public func current(_ run: RunRecord) -> RunState {
        if let stored = run.state, stored.agrees(with: run) { return stored }
        return state(of: run)
    }
}
