import Foundation

/// Where a run is in its life, stored in its record (`RunRecord.state`). `RunLifecycle`
/// moves it from one state to the next; the runner performs what each step asks for.
///
/// ```
/// claimed → stage(0) → … → stage(n) → publishing → archiving → completing → done
///                  ╰─ notify follows: publishing(then: notify) → stage(notify) ─╯
///   a step fails ─→ failed(.publishRejects) → failed(.notify) (on-failure steps) → archiving
///   a transient failure with attempts left, or a `wait` step ─→ waiting ─(woken)→ the same stage
/// ```
///
/// Refinements of the seven states issue 12 names: `publishing` says which stage follows
/// it (the outputs are published before the notify stage, so messages can point at them);
/// `waiting` says which stage it runs again when woken; `failed` says what is left of its
/// ending (rejects to publish, on-failure steps to run); and `completing` is the archived run
/// whose ledger completion is still to commit (the old `archiving` phase).
public enum RunState: Sendable, Hashable {
    /// Recorded in the ledger; its inputs are still where they were found.
    case claimed
    /// The stages before this index (of the manifest's non-empty stages) are committed; this one runs next.
    case stage(Int)
    /// The outputs of the committed stages are to be published; then stage `then`, or the archive when nil.
    case publishing(then: Int?)
    /// Parked until `until`; woken, it runs stage `stage` again from its checkpoint.
    case waiting(until: Date, reason: WaitReason, stage: Int)
    /// The run failed; what is left before the archive.
    case failed(RunFailure, FailureProgress)
    /// Its inputs are to move to the archive with run.json (and error.json).
    case archiving
    /// Archived; its completion (staged states, followers) is to commit in the ledger.
    case completing
    /// Finished: succeeded, failed or a duplicate (`RunRecord.status` says which).
    case done

    /// Why a run waits.
    public enum WaitReason: String, Sendable, Hashable, Codable, CaseIterable {
        /// For its next attempt after a transient failure.
        case retry
        /// At a `wait` step.
        case wait
    }

    /// What a failed run still has to do before it is archived.
    public enum FailureProgress: String, Sendable, Hashable, Codable, CaseIterable {
        /// Publish the rejects the failing step wrote.
        case publishRejects
        /// Run the pipeline's `on-failure` steps.
        case notify
    }

    /// Whether a clean shutdown may stop the run here, to resume it at the next start: between
    /// two checkpoints, once its inputs are in its work folder and before they move to the
    /// archive; not while it is claimed, archived or parked.
    public var isAtCheckpoint: Bool {
        switch self {
        case .stage, .publishing, .failed, .archiving: true
        case .claimed, .waiting, .completing, .done: false
        }
    }

    /// Whether the record's coarse fields (`phase`, `status`) say the same as this state.
    public func agrees(with run: RunRecord) -> Bool {
        switch self {
        case .claimed: run.phase == .claiming && run.status != .waiting
        case .waiting: run.status == .waiting && run.phase != .done
        case .stage, .publishing, .failed, .archiving: (run.phase == .stages || run.phase == .publishing) && run.status != .waiting
        case .completing: run.phase == .archiving
        case .done: run.phase == .done
        }
    }
}

extension RunState: Codable {
    /// One flat object, `{"name":"stage","stage":2}`: readable in the ledger's JSON, and
    /// written by its compact encoder without nested containers.
    private struct Stored: Codable {
        var name: String
        var stage: Int?
        var until: Date?
        var reason: WaitReason?
        var failure: RunFailure?
        var progress: FailureProgress?
    }

    public func encode(to encoder: any Encoder) throws {
        let stored: Stored = switch self {
        case .claimed: Stored(name: "claimed")
        case let .stage(n): Stored(name: "stage", stage: n)
        case let .publishing(then): Stored(name: "publishing", stage: then)
        case let .waiting(until, reason, stage): Stored(name: "waiting", stage: stage, until: until, reason: reason)
        case let .failed(failure, progress): Stored(name: "failed", failure: failure, progress: progress)
        case .archiving: Stored(name: "archiving")
        case .completing: Stored(name: "completing")
        case .done: Stored(name: "done")
        }
        try stored.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let s = try Stored(from: decoder)
        func missing(_ field: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "run state '\(s.name)' without its \(field)"))
        }
        switch s.name {
        case "claimed": self = .claimed
        case "stage":
            guard let n = s.stage else { throw missing("stage") }
            self = .stage(n)
        case "publishing": self = .publishing(then: s.stage)
        case "waiting":
            guard let until = s.until, let reason = s.reason, let stage = s.stage else { throw missing("wake time, reason or stage") }
            self = .waiting(until: until, reason: reason, stage: stage)
        case "failed":
            guard let failure = s.failure, let progress = s.progress else { throw missing("failure") }
            self = .failed(failure, progress)
        case "archiving": self = .archiving
        case "completing": self = .completing
        case "done": self = .done
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown run state '\(s.name)'"))
        }
    }
}
