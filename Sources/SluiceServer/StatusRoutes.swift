import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore

/// `GET /health` (the process answers), `GET /ready` (the ledger answers, the manifests are
/// loaded, the daemon answers its control and is not stopping), `GET /api/scheduler/jobs` and
/// `GET /api/tokens`.
struct StatusRoutes {
    let backend: APIBackend
    /// Set once the server's shutdown began: not ready any more.
    let stopping: @Sendable () -> Bool

    func add(to router: Router<APIRequestContext>) {
        router.get("/health") { _, _ in try JSONResponse.make(["ok": true]) }
        router.get("/ready") { _, _ in try await ready() }
        router.get("/api/scheduler/jobs") { _, _ in try await jobs() }
        router.get("/api/tokens") { _, _ in try await tokens() }
    }

    func ready() async throws -> Response {
        struct Ready: Encodable {
            var ready: Bool
            var checks: [String: Bool]
        }
        let backend = self.backend
        let stopping = self.stopping
        let checks = try await backend.blocking { () -> [String: Bool] in
            let ledger = (try? backend.ledger.runs(RunFilter(limit: 1))) != nil
            let manifests = backend.catalog.isLoaded()
            let daemon = !stopping() && (try? backend.control.status())?.pid != nil
            return ["ledger": ledger, "manifests": manifests, "daemon": daemon]
        }
        let ready = checks.values.allSatisfy { $0 }
        return try JSONResponse.make(Ready(ready: ready, checks: checks), status: ready ? .ok : .serviceUnavailable)
    }

    func jobs() async throws -> Response {
        struct Job: Encodable {
            var pipeline: String
            var paused: Bool
            var schedule: PipelineDocument.ScheduleDocument
            var lastRun: PipelineDocument.LastRun?
        }
        struct Jobs: Encodable { var jobs: [Job] }
        let backend = self.backend
        let jobs = try await backend.blocking { () -> [Job] in
            let manifests = backend.catalog.pipelines()
            let next = backend.catalog.nextFires()
            let paused = try backend.ledger.pauses()
            let latest = try backend.search.latestRuns()
            var jobs: [Job] = []
            for name in manifests.keys.sorted() {
                guard let m = manifests[name], m.triggers.schedule != nil else { continue }
                let doc = PipelineDocument(name: name, manifest: m, file: nil, paused: paused[name], nextFire: next[name],
                                           lastFired: try backend.catalog.lastFired(name), lastRun: latest[name], counts: [:])
                guard let schedule = doc.schedule else { continue }
                jobs.append(Job(pipeline: name, paused: doc.paused, schedule: schedule, lastRun: doc.lastRun))
            }
            return jobs
        }
        return try JSONResponse.make(Jobs(jobs: jobs))
    }

    func tokens() async throws -> Response {
        struct Token: Encodable {
            var id: String
            var name: String?
            var scope: String
            var createdAt: Date
            var revokedAt: Date?
        }
        struct Tokens: Encodable { var tokens: [Token] }
        let store = backend.tokens
        let records = try await backend.blocking { try store.tokens() }
        return try JSONResponse.make(Tokens(tokens: records.map {
            Token(id: $0.id, name: $0.name, scope: $0.scope.rawValue, createdAt: $0.createdAt, revokedAt: $0.revokedAt)
        }))
    }
}
