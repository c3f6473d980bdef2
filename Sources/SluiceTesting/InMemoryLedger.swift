import Foundation
import SluiceCore
import Synchronization

/// A `Ledger` in memory, with the semantics of `SQLiteLedger` for what the runner uses:
/// every call one transaction (`modify` a closure run under the ledger's lock), run records
/// stored as the same JSON documents (so dates keep millisecond precision, as in SQLite),
/// effects, checkpoints, staged states, manifests, claims by input hash. The shared
/// conformance suite (`LedgerConformanceTests`) runs against both.
///
/// A group holds the state it began with: `forgetOpenGroup()` drops what was written since,
/// as a crash before `commitGroup()` does with the SQLite file.
public struct InMemoryLedger: Ledger {
    private let store = StoreBox()

    public init() {}

    /// Forgets every write since `beginGroup()` (a crash before the group's commit).
    public func forgetOpenGroup() {
        store.withLock { s in
            if let saved = s.groupStart { s = saved.tables }
        }
    }

    public func beginGroup() throws {
        store.withLock { s in
            if s.groupStart == nil { s.groupStart = s.withoutGroup }
        }
    }

    public func commitGroup() throws {
        store.withLock { $0.groupStart = nil }
    }

    public func insert(_ run: RunRecord) throws {
        try insert(run, recording: [])
    }

    public func insert(_ run: RunRecord, recording effects: [EffectRecord]) throws {
        let document = try Self.encode(run)
        try store.withLock { s in
            guard s.documents[run.id] == nil else { throw Refusal(description: "a run \(run.id) is already in the ledger") }
            for e in effects { s.upsert(e) }
            s.documents[run.id] = document
            s.order.append(run.id)
            s.createdAt[run.id] = run.createdAt.timeIntervalSince1970
            for input in run.inputs where !input.sha256.isEmpty {
                s.inputs.append(.init(run: run.id, pipeline: run.pipeline, name: input.name, sha256: input.sha256))
            }
        }
    }

    public func update(_ run: RunRecord) throws {
        let document = try Self.encode(run)
        store.withLock { s in
            if s.documents[run.id] != nil { s.documents[run.id] = document }
        }
    }

    public func run(id: String) throws -> RunRecord? {
        try store.withLock { $0.documents[id] }.map(Self.decode)
    }

    public func runs(_ filter: RunFilter) throws -> [RunRecord] {
        var found = try store.withLock { s in try s.order.map { try Self.decode(s.documents[$0]!) } }
        if let p = filter.pipeline { found = found.filter { $0.pipeline == p } }
        if let status = filter.status { found = found.filter { $0.status == status } }
        if let since = filter.since { found = found.filter { $0.createdAt.timeIntervalSince1970 >= since.timeIntervalSince1970 } }
        if let limit = filter.limit { found = Array(found.prefix(limit)) }
        return found
    }

    public func unfinishedRuns() throws -> [RunRecord] {
        try runsInOrderOfCreation().filter { $0.phase != .done }
    }

    public func isFinished(id: String) throws -> Bool? {
        try run(id: id).map { $0.phase == .done }
    }

    public func runProcessing(pipeline: String, sha256: String) throws -> String? {
        let candidates = store.withLock { s in s.inputs.filter { $0.pipeline == pipeline && $0.sha256 == sha256 }.map(\.run) }
        let processing: Set<RunStatus> = [.succeeded, .running, .claimed, .waiting]
        return try runsInOrderOfCreation().first { run in
            candidates.contains(run.id) && processing.contains(run.status) && run.duplicateOf == nil && run.failure == nil
        }?.id
    }

    public func latestRun(pipeline: String, inputName: String) throws -> RunRecord? {
        let candidates = store.withLock { s in s.inputs.filter { $0.pipeline == pipeline && $0.name == inputName }.map(\.run) }
        return try runs(RunFilter()).last { candidates.contains($0.id) && $0.status != .duplicate }
    }

    public func storeManifest(hash: String, source: String) throws {
        store.withLock { s in
            if s.manifests[hash] == nil { s.manifests[hash] = source }
        }
    }

    public func manifest(hash: String) throws -> String? {
        store.withLock { $0.manifests[hash] }
    }

    public func effect(key: String) throws -> EffectRecord? {
        store.withLock { $0.effects[key] }
    }

    public func record(_ effect: EffectRecord) throws {
        store.withLock { $0.upsert(effect) }
    }

    public func effects(run: String) throws -> [EffectRecord] {
        store.withLock { s in
            s.effects.values.filter { $0.run == run }.sorted { ($0.at, $0.key) < ($1.at, $1.key) }
        }
    }

    public func commitStage(_ run: RunRecord, index: Int, checkpoint: [UInt8], effects: [EffectRecord]) throws {
        let document = try Self.encode(run)
        store.withLock { s in
            for e in effects { s.upsert(e) }
            s.checkpoints[run.id, default: [:]][index] = checkpoint
            if s.documents[run.id] != nil { s.documents[run.id] = document }
        }
    }

    public func checkpoint(run: String, index: Int) throws -> [UInt8]? {
        store.withLock { $0.checkpoints[run]?[index] }
    }

    public func state(pipeline: String, name: String) throws -> Data? {
        store.withLock { $0.states[pipeline]?[name] }
    }

    public func complete(_ run: RunRecord, states: [String: Data]) throws {
        let document = try Self.encode(run)
        store.withLock { s in
            if s.documents[run.id] != nil { s.documents[run.id] = document }
            for (name, data) in states { s.states[run.pipeline, default: [:]][name] = data }
            s.checkpoints[run.id] = nil
        }
    }

    public func latestEffect(step: String) throws -> EffectRecord? {
        store.withLock { s in s.effects.values.filter { $0.step == step }.max { $0.at < $1.at } }
    }

    public func modify(id: String, _ change: (inout RunRecord) throws -> Bool) throws -> RunRecord? {
        try store.withLock { s in
            guard let document = s.documents[id] else { return nil }
            var run = try Self.decode(document)
            guard try change(&run) else { return run }
            s.documents[id] = try Self.encode(run)
            return run
        }
    }

    public func runAges() throws -> [RunAge] {
        let documents = store.withLock { s in s.order.map { s.documents[$0]! } }
        return try documents.map { document in
            let run = try Self.decode(document)
            return RunAge(id: run.id, pipeline: run.pipeline, status: run.status, effectScope: run.effectScope,
                          finishedAt: run.phase == .done ? (run.finishedAt ?? run.updatedAt) : nil, recordBytes: Int64(document.count))
        }.sorted { a, b in
            // Oldest first, as the SQLite ledger orders them (by creation, then insertion).
            (store.withLock { $0.createdAt[a.id] ?? 0 }) < (store.withLock { $0.createdAt[b.id] ?? 0 })
        }
    }

    public func removeRuns(ids: [String], finishedBefore: Date) throws -> [String] {
        try store.withLock { s in
            let all = try s.order.map { try Self.decode(s.documents[$0]!) }
            var removed: [String] = []
            for id in ids {
                guard let run = all.first(where: { $0.id == id }) else { continue }
                // A run goes when no run of its effect scope is unfinished or finished since the cutoff.
                let blocked = all.contains { other in
                    other.effectScope == run.effectScope
                        && (other.phase != .done || (other.finishedAt ?? other.updatedAt) >= finishedBefore)
                }
                if !blocked { removed.append(id) }
            }
            let gone = Set(removed)
            s.inputs.removeAll { gone.contains($0.run) }
            for id in gone { s.checkpoints[id] = nil }
            s.effects = s.effects.filter { !gone.contains($0.value.run) }
            for id in gone { s.documents[id] = nil; s.createdAt[id] = nil }
            s.order.removeAll { gone.contains($0) }
            return removed
        }
    }

    public func forgetScheduleSlots(before date: Date, pipeline: String?) throws -> Int {
        store.withLock { s in
            let prefix = Runner.scheduleStep("")
            func matches(_ step: String) -> Bool { pipeline.map { step == Runner.scheduleStep($0) } ?? step.hasPrefix(prefix) }
            var latest: [String: Date] = [:]
            for e in s.effects.values { latest[e.step] = max(latest[e.step] ?? e.at, e.at) }
            let forgotten = s.effects.values.filter { e in e.run.isEmpty && matches(e.step) && e.at < date && e.at < latest[e.step]! }
            for e in forgotten { s.effects[e.key] = nil }
            return forgotten.count
        }
    }

    public func compact() throws -> (before: Int64, after: Int64) {
        let bytes = store.withLock { s in Int64(s.documents.values.reduce(0) { $0 + $1.count }) }
        return (bytes, bytes)
    }

    /// All runs, oldest first (by creation time, then insertion).
    private func runsInOrderOfCreation() throws -> [RunRecord] {
        let (order, created) = store.withLock { ($0.order, $0.createdAt) }
        let sorted = order.enumerated().sorted { (created[$0.element]!, $0.offset) < (created[$1.element]!, $1.offset) }.map(\.element)
        return try sorted.compactMap { id in try run(id: id) }
    }

    static func encode(_ run: RunRecord) throws -> [UInt8] { try CompactJSONEncoder.encode(run) }

    static func decode(_ document: [UInt8]) throws -> RunRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(RunRecord.self, from: Data(document))
    }

    /// A write the ledger refuses (a run inserted twice), as SQLite refuses a duplicate key.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }
}

/// The in-memory ledger's tables.
private struct Tables: Sendable {
    struct Input: Sendable {
        var run: String
        var pipeline: String
        var name: String
        var sha256: String
    }
    var documents: [String: [UInt8]] = [:]
    /// Run ids in insertion order (SQLite's rowid).
    var order: [String] = []
    var createdAt: [String: Double] = [:]
    var inputs: [Input] = []
    var effects: [String: EffectRecord] = [:]
    var checkpoints: [String: [Int: [UInt8]]] = [:]
    var states: [String: [String: Data]] = [:]
    var manifests: [String: String] = [:]
    /// The tables as they were when the open group began.
    var groupStart: Box?

    /// A copy without the group's saved state (what a group restores to).
    var withoutGroup: Box {
        var copy = self
        copy.groupStart = nil
        return Box(copy)
    }

    /// Inserts or updates an effect, as the SQLite ledger's upsert does: a repeat keeps the
    /// step and item of the first record.
    mutating func upsert(_ e: EffectRecord) {
        if var existing = effects[e.key] {
            existing.state = e.state
            existing.detail = e.detail
            existing.at = e.at
            existing.run = e.run
            effects[e.key] = existing
        } else {
            effects[e.key] = e
        }
    }

    /// Holds a saved copy (a struct cannot hold itself directly).
    final class Box: Sendable {
        let tables: Tables
        init(_ tables: Tables) { self.tables = tables }
    }
}

private final class StoreBox: Sendable {
    private let tables = Mutex(Tables())

    func withLock<R>(_ body: (inout Tables) throws -> R) rethrows -> R {
        try tables.withLock { try body(&$0) }
    }
}
