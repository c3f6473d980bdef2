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

@Suite struct TriggerRouteTests {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func aJSONBodyBecomesTheRunsParametersAnd202AnswersItsIDAtOnce() async throws {
        let f = try APIFixture()
        let token = f.tokens[.trigger]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token),
                                             body: Self.json(#"{"n": 3, "day": "2026-12-01", "force": true, "rate": 1.5}"#))
            #expect(r.status == .accepted, "\(r.text)")
            let id = try #require(r.json["run"] as? String)
            #expect(r.headers[.location] == "/api/runs/\(id)")
            let run = try #require(try f.harness.ledger.run(id: id))
            #expect(run.parameters == ["n": "3", "day": "2026-12-01", "force": "true", "rate": "1.5"])
            #expect(run.trigger == "manual")
            let empty = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token))
            #expect(empty.status == .accepted)
        }
    }

    @Test func badBodiesAndParametersAreRefused() async throws {
        let f = try APIFixture()
        let token = f.tokens[.trigger]!
        try await f.test { client in
            for body in [#"{"n": "#, "[1, 2]", #"{"n": {"deep": 1}}"#, #"{"n": [1]}"#, #"{"bad name": 1}"#, #"{"1n": 1}"#,
                         #""text""#, "nul\u{0}"] {
                let r = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token),
                                                 body: Self.json(body))
                #expect(r.status == .badRequest, "\(body) answered \(r.status)")
                #expect(r.errorCode == "bad_request")
            }
            let badKey = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post,
                                                  headers: APIFixture.headers(token, [HTTPField.Name("Idempotency-Key")!: "has space"]))
            #expect(badKey.status == .badRequest)
            #expect(try f.harness.ledger.runs(.init()).isEmpty)
        }
    }

    @Test func aPipelineWithoutManualRunsIsAConflict() async throws {
        let f = try APIFixture()
        let token = f.tokens[.trigger]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/pipelines/stock/runs", method: .post, headers: APIFixture.headers(token))
            #expect(r.status == .conflict)
            #expect((r.json["error"] as? [String: Any])?["message"] as? String == "pipeline 'stock' does not allow manual runs (triggers.manual is false)")
        }
    }

    @Test func theSameIdempotencyKeyNeverStartsTwoRuns() async throws {
        let f = try APIFixture()
        let token = f.tokens[.trigger]!
        let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "order-1234"]
        try await f.test { client in
            let first = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token, key),
                                                 body: Self.json(#"{"n": 1}"#))
            let second = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token, key),
                                                  body: Self.json(#"{"n": 1}"#))
            let url = try await client.execute(uri: "/api/pipelines/ventes/trigger?secret=\(token)&n=1", method: .post, headers: key)
            #expect(first.status == .accepted && second.status == .accepted && url.status == .ok)
            #expect(first.json["replayed"] as? Bool == false)
            #expect(second.json["replayed"] as? Bool == true)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(second.json["run"] as? String == first.json["run"] as? String)
            #expect(url.json["run"] as? String == first.json["run"] as? String)
            #expect(try f.harness.ledger.runs(.init()).count == 1)
            // Another key, another run.
            let other = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post,
                                                 headers: APIFixture.headers(token, [HTTPField.Name("Idempotency-Key")!: "order-1235"]))
            #expect(other.json["run"] as? String != first.json["run"] as? String)
            #expect(try f.harness.ledger.runs(.init()).count == 2)
        }
    }

    @Test func aKeyWhoseRequestDiedIsTakenOverWithTheRunItStarted() async throws {
        let f = try APIFixture()
        let token = f.tokens[.trigger]!
        // A request claimed the key, started its run, and died before recording which run.
        let ledger = f.harness.ledger
        #expect(try ledger.claimTriggerKey("k", pipeline: "ventes", at: f.harness.clock.now(), staleAfter: 120) == .claimed)
        let started = try TestControl(runner: f.harness.runner).trigger("ventes", parameters: ["n": "1"], files: []).runs[0]
        let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "k"]
        try await f.test { client in
            let pending = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token, key),
                                                   body: Self.json(#"{"n": 1}"#))
            #expect(pending.status == .conflict)
            f.harness.clock.advance(by: 121)
            let after = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post, headers: APIFixture.headers(token, key),
                                                 body: Self.json(#"{"n": 1}"#))
            #expect(after.status == .accepted)
            #expect(after.json["run"] as? String == started.id)
            #expect(try ledger.runs(.init()).count == 1)
        }
    }

    @Test func theTriggerURLTakesQueryParametersAndAnswersOkRunAt() async throws {
        let f = try APIFixture()
        let token = f.tokens[.trigger]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/pipelines/ventes/trigger?secret=\(token)&n=7&label=caf%C3%A9", method: .get)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["ok"] as? Bool == true)
            let id = try #require(r.json["run"] as? String)
            #expect(r.json["at"] as? String == "2026-11-21T08:00:00Z")
            #expect(try f.harness.ledger.run(id: id)?.parameters == ["n": "7", "label": "café"])
            // With a bearer token instead of the secret, by POST.
            let post = try await client.execute(uri: "/api/pipelines/ventes/trigger?n=8", method: .post, headers: APIFixture.headers(token))
            #expect(post.status == .ok)
            let bad = try await client.execute(uri: "/api/pipelines/ventes/trigger?secret=\(token)&bad%20name=1", method: .get)
            #expect(bad.status == .badRequest)
        }
    }
}
