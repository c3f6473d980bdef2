import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTesting

/// A workspace with two pipelines, a token of each scope and an API over them, driven
/// through Hummingbird's router test client (no socket). Its clock is the test clock.
struct APIFixture {
    let harness: PipelineHarness
    let server: APIServer
    let limiter: AuthFailureLimiter
    /// A token of each scope, and one revoked.
    let tokens: [APIScope: String]
    let revoked: String

    static let ventes = """
        description: Les ventes du jour
        triggers: { inbox: false, manual: true, schedule: "daily at 08:00" }
        timezone: Europe/Zurich
        extract:
          - files: {}
        notify:
          - file: { name: "n_{{run.id}}.txt", text: "n {{run.params.n}}" }
        """

    static let stock = """
        triggers: { inbox: true, manual: false }
        extract:
          - csv: {}
        load:
          - csv: { file: out.csv }
        """

    init(maximumFailures: Int = 10) throws {
        harness = try PipelineHarness()
        try harness.pipeline("ventes", Self.ventes)
        try harness.pipeline("stock", Self.stock)
        var tokens: [APIScope: String] = [:]
        for scope in APIScope.allCases {
            let (secret, record) = APITokenSecret.make(scope: scope, name: "test \(scope.rawValue)", at: harness.clock.now())
            try harness.ledger.insertToken(record)
            tokens[scope] = secret
        }
        let (secret, record) = APITokenSecret.make(scope: .admin, name: "old", at: harness.clock.now())
        try harness.ledger.insertToken(record)
        _ = try harness.ledger.revokeToken(id: record.id, at: harness.clock.now())
        revoked = secret
        self.tokens = tokens
        let runner = harness.runner
        let backend = APIBackend(workspace: harness.workspace, ledger: harness.ledger, control: TestControl(runner: runner),
                                 catalog: TestCatalog(runner: runner), clock: harness.clock, calls: BlockingCalls(threads: 2))
        limiter = AuthFailureLimiter(maximumFailures: maximumFailures, window: 60, clock: harness.clock)
        server = APIServer(configuration: APIServerConfiguration(host: "127.0.0.1", port: 0), backend: backend, limiter: limiter)
    }

    /// Runs `body` with a test client of the API.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.application().test(.router) { client in try await body(client) }
    }

    /// A request with the token of `scope` (none when nil).
    static func headers(_ token: String?, _ extra: HTTPFields = [:]) -> HTTPFields {
        var h = extra
        if let token { h[.authorization] = "Bearer \(token)" }
        return h
    }

    /// A run of `pipeline` recorded in the ledger, changed by `change`.
    func record(_ pipeline: String, _ change: (inout RunRecord) -> Void = { _ in }) throws -> RunRecord {
        var run = RunRecord(id: "20261121-0700\(String(format: "%02d", Int.random(in: 0...59)))-\(UUID().uuidString.prefix(6).lowercased())",
                            pipeline: pipeline, trigger: "manual", now: harness.clock.now(), runDate: "2026-11-21", runTime: "08:00:00",
                            manifestHash: "h", inputs: [])
        change(&run)
        try harness.ledger.insert(run)
        return run
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else { return [:] }
        return object
    }

    var text: String { String(buffer: body) }

    /// `error.code` of an error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
}

/// The control of a daemon that is always there: the ledger's rules (`LedgerDaemonControl`),
/// with this process as the daemon.
struct TestControl: DaemonControl {
    let inner: LedgerDaemonControl

    init(runner: Runner) { inner = LedgerDaemonControl(runner: runner) }

    func trigger(_ pipeline: String, parameters: [String: String], files: [String]) throws -> DaemonControlOutcome {
        try inner.trigger(pipeline, parameters: parameters, files: files)
    }
    func emit(_ event: PipelineEvent) throws -> DaemonControlOutcome { try inner.emit(event) }
    func retry(runID: String, wakeText: (RunRecord) -> String) throws -> DaemonControlOutcome {
        try inner.retry(runID: runID, wakeText: wakeText)
    }
    func cancel(runID: String) throws -> DaemonControlOutcome { try inner.cancel(runID: runID) }
    func setPaused(_ pipeline: String, _ paused: Bool) throws -> Bool { try inner.setPaused(pipeline, paused) }
    func reloadManifests() throws -> pid_t { getpid() }
    func status() throws -> DaemonStatus { DaemonStatus(pid: getpid(), paused: try inner.runner.ledger.pauses(), waiting: 0) }
}

/// The pipelines as the manifests on disk say, with next fire times from their schedules.
struct TestCatalog: PipelineCatalog {
    let runner: Runner

    func pipelines() -> [String: Manifest] { runner.loadManifests().manifests }
    func nextFires() -> [String: Date] {
        var next: [String: Date] = [:]
        for (name, m) in pipelines() {
            guard let text = m.triggers.schedule, let s = try? Schedule(text) else { continue }
            next[name] = ScheduleClock(cron: s.cron, timeZone: m.timeZone).next(after: runner.clock.now())
        }
        return next
    }
    func lastFired(_ pipeline: String) throws -> Date? { try runner.lastSlot(pipeline, trigger: ScheduleTrigger.key) }
    func manifestFiles() -> [ManifestLoader.Loaded] { runner.loader.loadAll(directory: runner.workspace.pipelines, relativeTo: runner.workspace.root) }
    func isLoaded() -> Bool { true }
}
