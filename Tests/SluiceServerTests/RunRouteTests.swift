import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTesting
import Testing

@Suite struct RunRouteTests {
    static func failure(_ message: String) -> RunFailure {
        RunFailure(stage: "transform", step: "transform[0].validate", message: message, file: "a.csv", place: "row 3", rows: [3],
                   hint: "check the date", transient: false)
    }

    @Test func theListFiltersAndPagesWithACursor() async throws {
        let f = try APIFixture()
        var made: [String] = []
        for i in 0..<5 {
            made.append(try f.record(i % 2 == 0 ? "ventes" : "stock") {
                $0.status = i == 3 ? .failed : .succeeded
                if i == 3 { $0.failure = Self.failure("date invalide 2026-13-01") }
                $0.createdAt = Date(timeIntervalSince1970: 1_795_248_000 + Double(i) * 86_400)
            }.id)
        }
        let ids = made
        let read = f.tokens[.read]!
        try await f.test { client in
            func get(_ query: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/runs" + query, method: .get, headers: APIFixture.headers(read))
            }
            func idsOf(_ r: TestResponse) -> [String] { (r.json["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] }
            let all = try await get("")
            #expect(all.status == .ok)
            #expect(idsOf(all) == ids.reversed(), "newest first")
            #expect(idsOf(try await get("?pipeline=stock")) == [ids[3], ids[1]])
            #expect(idsOf(try await get("?status=failed")) == [ids[3]])
            #expect(idsOf(try await get("?trigger=manual&limit=1")).count == 1)
            #expect(idsOf(try await get("?q=invalide")) == [ids[3]])
            #expect(idsOf(try await get("?q=%25")).isEmpty, "LIKE's wildcards are taken literally")
            #expect(idsOf(try await get("?from=2026-11-23&to=2026-11-25")) == [ids[3], ids[2]])
            #expect(idsOf(try await get("?from=2026-11-23T00:00:00Z")) == [ids[4], ids[3], ids[2]])
            // Pages of two, following `next`.
            var seen: [String] = []
            var cursor: String? = nil
            repeat {
                let page = try await get("?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                seen += idsOf(page)
                cursor = page.json["next"] as? String
            } while cursor != nil
            #expect(seen == ids.reversed())
            let failed = (try await get("?status=failed")).json["runs"] as? [[String: Any]]
            #expect(failed?.first?["error"] as? String == "date invalide 2026-13-01")
        }
    }

    @Test func badFiltersAreRefused() async throws {
        let f = try APIFixture()
        let read = f.tokens[.read]!
        try await f.test { client in
            for query in ["status=finished", "limit=0", "limit=501", "limit=x", "cursor=-1", "from=yesterday", "to=2026-13-45",
                          "pipeline=..%2Fetc", "nosuch=1", "q=" + String(repeating: "a", count: 201)] {
                let r = try await client.execute(uri: "/api/runs?" + query, method: .get, headers: APIFixture.headers(read))
                #expect(r.status == .badRequest, "\(query) answered \(r.status)")
            }
        }
    }

    @Test func oneRunHasItsStagesOutputsFailureAndReprocessLinks() async throws {
        let f = try APIFixture()
        let original = try f.record("ventes") {
            $0.status = .failed
            $0.phase = .done
            $0.finishedAt = $0.createdAt + 2.5
            $0.failure = Self.failure("bad row")
            $0.parameters = ["n": "1"]
            $0.stageReports = [try! JSONDecoder().decode(StageReport.self, from: Data("""
                {"stage": "extract", "milliseconds": 12, "datasets": {"files": 4},
                 "steps": [{"id": "extract[0].files", "skipped": false, "rows": 4, "milliseconds": 11, "summary": {}}]}
                """.utf8))]
            $0.outputs = [try! JSONDecoder().decode(PublishedOutput.self, from: Data("""
                {"name": "rejects.csv", "path": "outbox/ventes/rejects.csv", "size": 10, "sha256": "ab", "step": "load[0].csv"}
                """.utf8))]
        }
        let again = try f.record("ventes") {
            $0.trigger = "reprocess"
            $0.reprocessOf = original.id
            $0.createdAt = original.createdAt + 60
        }
        let read = f.tokens[.read]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/runs/\(original.id)", method: .get, headers: APIFixture.headers(read))
            #expect(r.status == .ok, "\(r.text)")
            let run = try #require(r.json["run"] as? [String: Any])
            #expect(run["status"] as? String == "failed")
            #expect(run["durationMilliseconds"] as? Int == 2500)
            let stage = try #require((r.json["stages"] as? [[String: Any]])?.first)
            #expect(((stage["steps"] as? [[String: Any]])?.first)?["rows"] as? Int == 4)
            #expect((r.json["outputs"] as? [[String: Any]])?.first?["name"] as? String == "rejects.csv")
            let failure = try #require(r.json["failure"] as? [String: Any])
            #expect(failure["hint"] as? String == "check the date" && failure["place"] as? String == "row 3")
            let links = try #require(r.json["links"] as? [String: Any])
            #expect(links["self"] as? String == "/api/runs/\(original.id)")
            #expect(links["reprocessedBy"] as? [String] == ["/api/runs/\(again.id)"])
            let back = try await client.execute(uri: "/api/runs/\(again.id)", method: .get, headers: APIFixture.headers(read))
            #expect((back.json["links"] as? [String: Any])?["reprocessOf"] as? String == "/api/runs/\(original.id)")
            let none = try await client.execute(uri: "/api/runs/20991231-000000-ffffff", method: .get, headers: APIFixture.headers(read))
            #expect(none.status == .notFound)
        }
    }

    @Test func retryAndCancelTakeOnlyWaitingRuns() async throws {
        let f = try APIFixture()
        let waiting = try f.record("ventes") {
            $0.status = .waiting
            $0.waitingFor = "retry"
            $0.wakeAt = $0.createdAt + 3600
        }
        let done = try f.record("ventes") { $0.status = .succeeded }
        let admin = f.tokens[.admin]!
        try await f.test { client in
            let retry = try await client.execute(uri: "/api/runs/\(waiting.id)/retry", method: .post, headers: APIFixture.headers(admin))
            #expect(retry.status == .accepted, "\(retry.text)")
            #expect(try f.harness.ledger.run(id: waiting.id)?.wakeAt == Date(timeIntervalSince1970: 0))
            let cancel = try await client.execute(uri: "/api/runs/\(waiting.id)/cancel", method: .post, headers: APIFixture.headers(admin))
            #expect(cancel.status == .accepted)
            #expect(try f.harness.ledger.run(id: waiting.id)?.cancelRequested == true)
            let refused = try await client.execute(uri: "/api/runs/\(done.id)/retry", method: .post, headers: APIFixture.headers(admin))
            #expect(refused.status == .conflict)
            #expect(((refused.json["error"] as? [String: Any])?["message"] as? String)?.contains("not waiting for a retry") == true)
            let cancelDone = try await client.execute(uri: "/api/runs/\(done.id)/cancel", method: .post, headers: APIFixture.headers(admin))
            #expect(cancelDone.status == .conflict)
        }
    }
}
