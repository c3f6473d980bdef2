import Foundation

/// The effect ledger: an effect is recorded as done under a key made from (scope, step,
/// item). A key recorded as done is never done again. If the process dies between the
/// effect and its record, the effect is done again with the same key, so the other side can
/// recognise the repeat (a webhook's `Idempotency-Key`, the `_sluice_effects` table of a
/// database).
public struct EffectLedger: EffectRecorder {
    let ledger: any Ledger
    let run: String
    let scope: String
    let clock: any RunClock
    let dryRun: Bool
    /// Records of effects whose target deduplicates, written with the stage's commit.
    let pending = MutexBox<[EffectRecord]>([])
    /// Makes the ledger's writes durable now (under a group commit, commits the group).
    let makeDurable: @Sendable () throws -> Void
    /// The runner's crash points (`after-effect-before-record`).
    let crashPoints: CrashPoints?

    public init(ledger: any Ledger, run: String, scope: String, clock: any RunClock, dryRun: Bool,
                makeDurable: @escaping @Sendable () throws -> Void = {}, crashPoints: CrashPoints? = nil) {
        self.crashPoints = crashPoints
        self.ledger = ledger
        self.run = run
        self.scope = scope
        self.clock = clock
        self.dryRun = dryRun
        self.makeDurable = makeDurable
    }

    public func key(step: String, item: String) -> String {
        "sluice-" + String(SHA256.hex(Array("\(scope)\u{0}\(step)\u{0}\(item)".utf8)).prefix(40))
    }

    public func perform(step: String, item: String, description: String, targetDeduplicates: Bool,
                        _ body: (String) throws -> String?) throws -> EffectOutcome {
        let key = key(step: step, item: item)
        if let existing = try ledger.effect(key: key), existing.state == .done {
            return .alreadyDone(detail: existing.detail)
        }
        if dryRun { return .planned }
        let detail = try body(key)
        crashPoints?.reached("after-effect-before-record")
        let record = EffectRecord(key: key, run: run, step: step, item: item, state: .done, detail: detail, at: clock.now())
        if targetDeduplicates {
            pending.withLock { $0.append(record) }
        } else {
            try ledger.record(record)
            try makeDurable()
        }
        return .done(detail: detail)
    }

    /// The deferred records, taken out for a commit.
    func takePending() -> [EffectRecord] { pending.withLock { list in defer { list = [] }; return list } }
}

/// States staged by a run's steps: kept with the stage's checkpoint and committed to the
/// ledger only when the run succeeds.
public struct StagedStateStore: StepStateStore {
    let ledger: any Ledger
    let pipeline: String
    private let pending = MutexBox<[(String, [UInt8])]>([])

    public init(ledger: any Ledger, pipeline: String) {
        self.ledger = ledger
        self.pipeline = pipeline
    }

    public func committed(name: String) throws -> Dataset? {
        guard let data = try ledger.state(pipeline: pipeline, name: name) else { return nil }
        return try DatasetCodec.decode([UInt8](data))
    }

    public func stage(name: String, _ dataset: Dataset) throws {
        let bytes = DatasetCodec.encode(dataset)
        pending.withLock { list in
            list.removeAll { $0.0 == name }
            list.append((name, bytes))
        }
    }

    func staged() -> [(String, [UInt8])] { pending.withLock { $0 } }
}
