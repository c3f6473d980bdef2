import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore

/// The runs: list with filters and a cursor, one run, retry and cancel of a waiting run.
struct RunRoutes {
    let backend: APIBackend

    static let listParameters: Set<String> = ["pipeline", "status", "trigger", "from", "to", "q", "cursor", "limit"]
    static let maximumLimit = 500

    func add(to router: Router<APIRequestContext>) {
        router.get("/api/runs") { request, _ in try await list(request) }
        router.get("/api/runs/{id}") { _, context in try await one(context) }
        router.post("/api/runs/{id}/retry") { _, context in try await change(context, retry: true) }
        router.post("/api/runs/{id}/cancel") { _, context in try await change(context, retry: false) }
    }

    /// The query of `GET /api/runs`, checked: an unknown parameter or a bad value is refused.
    static func query(_ request: Request) throws -> RunQuery {
        var query = RunQuery()
        for (rawKey, rawValue) in request.uri.queryParameters {
            let key = String(rawKey), value = String(rawValue)
            guard listParameters.contains(key) else {
                throw APIError.badRequest("unknown parameter '\(key.prefix(64))'; known: \(listParameters.sorted().joined(separator: ", "))")
            }
            switch key {
            case "pipeline":
                guard PathNames.isSafe(value) else { throw APIError.badRequest("'pipeline' is not a pipeline name") }
                query.pipeline = value
            case "status":
                guard let s = RunStatus(rawValue: value) else {
                    throw APIError.badRequest("'status' is one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.status = s
            case "trigger":
                guard PathNames.isSafe(value) else { throw APIError.badRequest("'trigger' is a trigger name (manual, inbox, schedule …)") }
                query.trigger = value
            case "from", "to":
                guard let date = Self.instant(value) else {
                    throw APIError.badRequest("'\(key)' is a date (2026-12-01) or an ISO 8601 time with an offset (2026-12-01T08:00:00Z)")
                }
                if key == "from" { query.from = date } else { query.to = date }
            case "q":
                guard value.utf8.count <= 200 else { throw APIError.badRequest("'q' is at most 200 bytes") }
                query.text = value
            case "cursor":
                guard let c = Int64(value), c > 0 else { throw APIError.badRequest("'cursor' is the `next` of the page before") }
                query.cursor = c
            default:
                guard let n = Int(value), (1...maximumLimit).contains(n) else { throw APIError.badRequest("'limit' is 1 to \(maximumLimit)") }
                query.limit = n
            }
        }
        return query
    }

    /// `2026-12-01` (midnight UTC) or an ISO 8601 time with an offset.
    static func instant(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        if let d = full.date(from: text) { return d }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = full.date(from: text) { return d }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return text.count == 10 ? day.date(from: text) : nil
    }

    func list(_ request: Request) async throws -> Response {
        struct List: Encodable {
            var runs: [RunSummaryDocument]
            /// The cursor of the next page; nil on the last.
            var next: String?
        }
        let query = try Self.query(request)
        let search = backend.search
        let page = try await backend.blocking { try search.searchRuns(query) }
        return try JSONResponse.make(List(runs: page.runs.map(RunSummaryDocument.init), next: page.next.map { String($0) }))
    }

    func one(_ context: APIRequestContext) async throws -> Response {
        let run = try await backend.run(context)
        let ledger = backend.ledger
        let reprocessings = try await backend.blocking { try ledger.reprocessings(of: run) }
        return try JSONResponse.make(RunDetailDocument(run, reprocessedBy: reprocessings))
    }

    func change(_ context: APIRequestContext, retry: Bool) async throws -> Response {
        let run = try await backend.run(context)
        let control = backend.control
        let changed = try await backend.blocking { () -> RunRecord in
            do {
                let outcome: DaemonControlOutcome
                if retry {
                    outcome = try control.retry(runID: run.id, wakeText: { r in r.wakeAt.map { ISO8601DateFormatter().string(from: $0) } ?? "later" })
                } else {
                    outcome = try control.cancel(runID: run.id)
                }
                return outcome.runs.first ?? run
            } catch {
                throw APIError.conflict("\(error)")
            }
        }
        return try JSONResponse.make(RunSummaryDocument(changed), status: .accepted)
    }
}
