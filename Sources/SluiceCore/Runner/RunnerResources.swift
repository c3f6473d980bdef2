import Foundation
import Synchronization

/// What one runner keeps for the life of its process share, and nothing else shares: the
/// group-commit sync deferral, the crash-point counters, the dataset-use answers and the
/// services steps keep between runs (a step kind's connection pool). Two runners in one
/// process (tests, the server) each have their own, so neither sees the other's.
///
/// A `Runner` makes one when it is created; its copies share it. Steps reach it through
/// `StepContext.resources`.
public final class RunnerResources: Sendable {
    /// Whether file syncs wait for the open group's commit, and what was written meanwhile.
    public let syncs = SyncDeferral()
    /// Counts how often each crash point was reached (`SLUICE_CRASH_AT=name:N`).
    public let crashPoints: CrashPoints
    /// Whether a dataset is named later in a manifest version.
    let datasetUse = DatasetUseCache()
    /// Services steps keep across runs, one per type.
    private let services = MutexBox<[ObjectIdentifier: any Sendable]>([:])

    public init(crashPoints: CrashPoints = CrashPoints()) {
        self.crashPoints = crashPoints
    }

    /// The runner's one instance of `type`, made by `make` the first time it is asked for.
    public func service<Service: AnyObject & Sendable>(_ type: Service.Type, make: () throws -> Service) rethrows -> Service {
        let key = ObjectIdentifier(type)
        if let found = services.withLock({ $0[key] }) as? Service { return found }
        let made = try make()
        return services.withLock { stored in
            if let raced = stored[key] as? Service { return raced }
            stored[key] = made
            return made
        }
    }
}

/// Group commit's sync deferral: while it is on, `FileOperations` calls given it skip their
/// fsyncs, and `syncFileSystems` makes everything written since durable at once, before the
/// ledger commits the group that names it.
public final class SyncDeferral: Sendable {
    private let deferring = Atomic<Bool>(false)
    /// Files outside the workspace written while syncs were deferred (target databases).
    private let deferredPaths = MutexBox<Set<String>>([])

    public init() {}

    public var isDeferring: Bool { deferring.load(ordering: .relaxed) }

    public func set(deferring on: Bool) { deferring.store(on, ordering: .relaxed) }

    /// Remembers a file written without a sync, for the next `syncFileSystems`.
    public func noteDeferredWrite(_ path: String) {
        _ = deferredPaths.withLock { $0.insert(path) }
    }

    /// `syncfs(2)` on every file system holding `paths` or a noted deferred write.
    public func syncFileSystems(_ paths: [String]) throws {
        let noted = deferredPaths.withLock { noted in defer { noted = [] }; return Array(noted) }
        try FileOperations.syncFileSystems(paths + noted)
    }
}

/// Named places where the test suite kills the process with SIGKILL
/// (`SLUICE_CRASH_AT=after-claim`, or `name:N` for the N-th time the point is reached by
/// the runner: the CLI and the daemon have one runner per process, so per process).
public final class CrashPoints: Sendable {
    private let target: (name: String, count: Int)?
    private let hits = MutexBox<[String: Int]>([:])

    /// - Parameter specification: `name` or `name:N`; by default `SLUICE_CRASH_AT`.
    public init(specification: String? = ProcessInfo.processInfo.environment["SLUICE_CRASH_AT"]) {
        if let v = specification, !v.isEmpty {
            let parts = v.split(separator: ":")
            target = (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
        } else {
            target = nil
        }
    }

    /// How often `name` was reached so far (counted only for the crash point asked for).
    public func count(_ name: String) -> Int { hits.withLock { $0[name, default: 0] } }

    /// Kills the process when this is the asked-for crash point's N-th time.
    public func reached(_ name: String) {
        guard let target, target.name == name else { return }
        let n = hits.withLock { $0[name, default: 0] += 1; return $0[name]! }
        if n == target.count { kill(getpid(), SIGKILL) }
    }
}
