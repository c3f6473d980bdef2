import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore

/// Starting runs: `POST /api/pipelines/{name}/runs` (a JSON body of parameters; 202 with the
/// run's id at once) and, for callers that can only request a URL,
/// `GET|POST /api/pipelines/{name}/trigger?secret=…&key=value`. Both take an
/// `Idempotency-Key` header: the same key never starts two runs of a pipeline.
struct TriggerRoutes {
    let backend: APIBackend
    let maximumBodySize: Int
    /// A key claimed this long ago by a request that never finished is looked up and taken over.
    static let abandonedAfter: TimeInterval = 120

    struct Started: Sendable {
        var id: String
        var status: String
        var createdAt: Date
        var replayed: Bool
    }

    func add(to router: Router<APIRequestContext>) {
        router.post("/api/pipelines/{name}/runs") { request, context in try await startRun(request, context) }
        router.get("/api/pipelines/{name}/trigger") { request, context in try await triggerURL(request, context) }
        router.post("/api/pipelines/{name}/trigger") { request, context in try await triggerURL(request, context) }
    }

    func startRun(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        struct Body: Encodable {
            var run: String
            var pipeline: String
            var status: String
            var createdAt: Date
            var replayed: Bool
            var links: [String: String]
        }
        let name = try await backend.pipelineName(context)
        let parameters = try RunParameters.fromJSON(try await body(request))
        let started = try await start(name, parameters: parameters, key: try idempotencyKey(request))
        var headers: HTTPFields = [.location: "/api/runs/\(started.id)"]
        if started.replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return try JSONResponse.make(Body(run: started.id, pipeline: name, status: started.status, createdAt: started.createdAt,
                                          replayed: started.replayed, links: ["run": "/api/runs/\(started.id)"]),
                                     status: .accepted, headers: headers)
    }

    func triggerURL(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        struct Body: Encodable { var ok: Bool; var run: String; var at: Date; var replayed: Bool }
        let name = try await backend.pipelineName(context)
        var parameters: [String: String] = [:]
        if request.method == .post { parameters = try RunParameters.fromJSON(try await body(request)) }
        parameters.merge(try RunParameters.fromQuery(request, leaving: ["secret"])) { _, query in query }
        try RunParameters.check(parameters)
        let started = try await start(name, parameters: parameters, key: try idempotencyKey(request))
        return try JSONResponse.make(Body(ok: true, run: started.id, at: started.createdAt, replayed: started.replayed))
    }

    func body(_ request: Request) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(maximumBodySize) bytes")
        }
    }

    /// The `Idempotency-Key` header: 1 to 200 printable ASCII characters.
    func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard !key.isEmpty, key.utf8.count <= 200, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw APIError.badRequest("Idempotency-Key must be 1 to 200 printable ASCII characters without spaces")
        }
        return key
    }

    /// Starts a run through the daemon's control, once per idempotency key.
    func start(_ pipeline: String, parameters: [String: String], key: String?) async throws -> Started {
        let backend = self.backend
        return try await backend.blocking { () -> Started in
            guard let key else { return try Self.trigger(pipeline, parameters, backend: backend) }
            let keys = backend.triggerKeys
            switch try keys.claimTriggerKey(key, pipeline: pipeline, at: backend.clock.now(), staleAfter: Self.abandonedAfter) {
            case let .started(id):
                let run = try backend.ledger.run(id: id)
                return Started(id: id, status: run?.status.rawValue ?? "unknown", createdAt: run?.createdAt ?? backend.clock.now(), replayed: true)
            case .pending:
                throw APIError.conflict("a request with this Idempotency-Key is still starting its run; ask again in a moment")
            case let .abandoned(since):
                // Its request may have started the run before its process died: look for it.
                let candidates = try backend.ledger.runs(RunFilter(pipeline: pipeline, since: since))
                if let run = candidates.first(where: { $0.trigger == "manual" && $0.parameters == parameters }) {
                    try keys.completeTriggerKey(key, pipeline: pipeline, runID: run.id)
                    return Started(id: run.id, status: run.status.rawValue, createdAt: run.createdAt, replayed: true)
                }
            case .claimed:
                break
            }
            do {
                let started = try Self.trigger(pipeline, parameters, backend: backend)
                try keys.completeTriggerKey(key, pipeline: pipeline, runID: started.id)
                return started
            } catch {
                try? keys.releaseTriggerKey(key, pipeline: pipeline)
                throw error
            }
        }
    }

    static func trigger(_ pipeline: String, _ parameters: [String: String], backend: APIBackend) throws -> Started {
        let outcome: DaemonControlOutcome
        do {
            outcome = try backend.control.trigger(pipeline, parameters: parameters, files: [])
        } catch {
            throw APIError.conflict("\(error)")
        }
        guard let run = outcome.runs.first else { throw APIError.conflict("no run was started") }
        return Started(id: run.id, status: run.status.rawValue, createdAt: run.createdAt, replayed: false)
    }
}
