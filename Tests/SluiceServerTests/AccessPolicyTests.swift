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

/// Deny by default: every route has a rule, every protected route refuses a missing, unknown,
/// revoked or under-scoped token, and failed authentications are limited per address.
@Suite struct AccessPolicyTests {
    /// Each route of the router, with a path that reaches it.
    static func concrete(_ route: String) -> (HTTPRequest.Method, String) {
        let parts = route.split(separator: " ", maxSplits: 1)
        let path = String(parts[1]).replacingOccurrences(of: "{name}", with: "ventes").replacingOccurrences(of: "{id}", with: "20261121-070000-abcdef")
        return (HTTPRequest.Method(String(parts[0]))!, path)
    }

    @Test func everyRouteHasAnExplicitRuleAndEveryRuleARoute() throws {
        let f = try APIFixture()
        let routes = Set(f.server.router().routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(!routes.isEmpty)
        let missing = routes.subtracting(APIAccessPolicy.rules.keys)
        #expect(missing.isEmpty, "routes without an access rule: \(missing.sorted())")
        let stale = Set(APIAccessPolicy.rules.keys).subtracting(routes)
        #expect(stale.isEmpty, "rules without a route: \(stale.sorted())")
        #expect(APIAccessPolicy.rules.filter { $0.value == .anyone }.keys.sorted() == ["GET /health"])
    }

    @Test func everyProtectedRouteRefusesNoTokenAnUnknownOneAndARevokedOne() async throws {
        let f = try APIFixture(maximumFailures: 1000)
        let routes = f.server.router().routes.map { "\($0.method.rawValue) \($0.path)" }.filter { APIAccessPolicy.rules[$0] != .anyone }
        let revoked = f.revoked
        try await f.test { client in
            for route in routes {
                let (method, path) = Self.concrete(route)
                for token in [nil, "sluice_0000", revoked, ""] as [String?] {
                    let r = try await client.execute(uri: path, method: method, headers: APIFixture.headers(token))
                    #expect(r.status == .unauthorized, "\(route) with \(token.map { "token \($0.prefix(12))" } ?? "no token") answered \(r.status)")
                    #expect(r.headers[.wwwAuthenticate] == "Bearer realm=\"sluice\"")
                    #expect(r.errorCode == "unauthorized")
                }
                let basic = try await client.execute(uri: path, method: method, headers: [.authorization: "Basic YWRtaW46YWRtaW4="])
                #expect(basic.status == .unauthorized, "\(route) took a Basic authorization")
            }
        }
    }

    @Test func eachScopeReachesOnlyItsRoutes() async throws {
        let f = try APIFixture()
        let routes = f.server.router().routes.map { "\($0.method.rawValue) \($0.path)" }
        let tokens = f.tokens
        try await f.test { client in
            for route in routes {
                guard let rule = APIAccessPolicy.rules[route], rule != .anyone else { continue }
                let (method, path) = Self.concrete(route)
                for scope in APIScope.allCases {
                    let needed: APIScope = if case let .token(s) = rule { s } else { .trigger }
                    let r = try await client.execute(uri: path, method: method, headers: APIFixture.headers(tokens[scope]))
                    if scope.allows(needed) {
                        #expect(r.status != .unauthorized && r.status != .forbidden, "\(route) refused a \(scope) token: \(r.status) \(r.text)")
                    } else {
                        #expect(r.status == .forbidden, "\(route) with a \(scope) token answered \(r.status)")
                        #expect(r.errorCode == "forbidden")
                    }
                }
            }
        }
    }

    @Test func healthNeedsNoToken() async throws {
        let f = try APIFixture()
        try await f.test { client in
            let r = try await client.execute(uri: "/health", method: .get)
            #expect(r.status == .ok)
            #expect(r.json["ok"] as? Bool == true)
        }
    }

    @Test func anUnknownRouteOrMethodIsNotFound() async throws {
        let f = try APIFixture()
        let admin = f.tokens[.admin]!
        try await f.test { client in
            for (method, path) in [(HTTPRequest.Method.get, "/api/nosuch"), (.delete, "/api/runs"), (.get, "/api/reload"), (.put, "/health")] {
                for token in [nil, admin] {
                    let r = try await client.execute(uri: path, method: method, headers: APIFixture.headers(token))
                    #expect(r.status == .notFound, "\(method) \(path) answered \(r.status)")
                }
            }
        }
    }

    @Test func theTriggerURLTakesATriggerTokenAsSecretButNoOtherScope() async throws {
        let f = try APIFixture()
        let tokens = f.tokens
        try await f.test { client in
            let ok = try await client.execute(uri: "/api/pipelines/ventes/trigger?secret=\(tokens[.trigger]!)&n=1", method: .get)
            #expect(ok.status == .ok, "\(ok.text)")
            let read = try await client.execute(uri: "/api/pipelines/ventes/trigger?secret=\(tokens[.read]!)&n=1", method: .get)
            #expect(read.status == .forbidden)
            // `secret=` is only for the trigger URL: elsewhere it is no token at all.
            let list = try await client.execute(uri: "/api/runs?secret=\(tokens[.admin]!)", method: .get)
            #expect(list.status == .unauthorized)
        }
    }

    @Test func failedAuthenticationsAreLimitedPerAddressUntilTheWindowEnds() async throws {
        let f = try APIFixture(maximumFailures: 3)
        let tokens = f.tokens
        try await f.test { client in
            for _ in 0..<3 {
                let r = try await client.execute(uri: "/api/runs", method: .get, headers: APIFixture.headers("sluice_wrong"))
                #expect(r.status == .unauthorized)
            }
            // Refused now, even with a good token: the address must wait.
            let limited = try await client.execute(uri: "/api/runs", method: .get, headers: APIFixture.headers(tokens[.read]))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "60")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            f.harness.clock.advance(by: 61)
            let again = try await client.execute(uri: "/api/runs", method: .get, headers: APIFixture.headers(tokens[.read]))
            #expect(again.status == .ok)
        }
    }

    @Test func theLimiterCountsEachAddressApart() {
        let clock = SluiceTestClock.make()
        let limiter = AuthFailureLimiter(maximumFailures: 2, window: 10, clock: clock)
        limiter.recordFailure(of: "10.0.0.1")
        limiter.recordFailure(of: "10.0.0.1")
        limiter.recordFailure(of: "10.0.0.2")
        #expect(limiter.refusal(for: "10.0.0.1") == 10)
        #expect(limiter.refusal(for: "10.0.0.2") == nil)
        clock.advance(by: 4)
        #expect(limiter.refusal(for: "10.0.0.1") == 6)
        clock.advance(by: 6)
        #expect(limiter.refusal(for: "10.0.0.1") == nil)
    }

    @Test func anOversizeBodyIsRefusedBeforeItIsRead() async throws {
        let f = try APIFixture()
        let tokens = f.tokens
        try await f.test { client in
            let big = ByteBuffer(string: "{\"n\": \"" + String(repeating: "x", count: APIServerConfiguration.maximumBodySize + 10) + "\"}")
            let r = try await client.execute(uri: "/api/pipelines/ventes/runs", method: .post,
                                             headers: APIFixture.headers(tokens[.trigger], [.contentType: "application/json"]), body: big)
            #expect(r.status == .contentTooLarge)
            #expect(r.errorCode == "body_too_large")
            #expect(try f.harness.ledger.runs(.init()).isEmpty)
        }
    }

    @Test func tokensAreComparedByHashAndNeverAnswered() async throws {
        let f = try APIFixture()
        let tokens = f.tokens
        try await f.test { client in
            let r = try await client.execute(uri: "/api/tokens", method: .get, headers: APIFixture.headers(tokens[.admin]))
            #expect(r.status == .ok)
            for secret in tokens.values { #expect(!r.text.contains(secret)) }
            let stored = try f.harness.ledger.tokens()
            for t in stored { #expect(!r.text.contains(t.sha256)) }
            #expect((r.json["tokens"] as? [[String: Any]])?.count == 4)
        }
    }
}

/// The test clock, made here so the tests need not know its start.
enum SluiceTestClock {
    static func make() -> TestClock { TestClock(Date(timeIntervalSince1970: 1_795_248_000)) }
}
