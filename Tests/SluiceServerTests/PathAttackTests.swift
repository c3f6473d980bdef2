import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import SluiceCore
@testable import SluiceServer
import SluiceStore
import SluiceTesting
import Testing

/// Path parameters are names checked against the loaded pipelines and the ledger's runs:
/// nothing in a path reaches a file outside the workspace.
@Suite struct PathAttackTests {
    static let attacks = [
        "..", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f", "%2e%2e", "%252e%252e%252f", "%2Fetc%2Fpasswd", "ventes%00", "%00",
        "ventes%2f..%2f..%2fsluice.yaml", ".hidden", "..%5c..%5cwindows", "%c0%ae%c0%ae%c0%af",
    ]

    @Test func pipelineNamesThatAreNotNamesAreRefused() async throws {
        let f = try APIFixture()
        let admin = f.tokens[.admin]!
        try await f.test { client in
            for attack in Self.attacks {
                for (method, suffix) in [(HTTPRequest.Method.get, ""), (.post, "/pause"), (.post, "/runs"), (.get, "/trigger")] {
                    let r = try await client.execute(uri: "/api/pipelines/\(attack)\(suffix)", method: method, headers: APIFixture.headers(admin))
                    #expect(r.status == .notFound, "\(method) /api/pipelines/\(attack)\(suffix) answered \(r.status)")
                    #expect(!r.text.contains("root:"))
                }
                let run = try await client.execute(uri: "/api/runs/\(attack)", method: .get, headers: APIFixture.headers(admin))
                #expect(run.status == .notFound, "/api/runs/\(attack) answered \(run.status)")
            }
            // Absolute paths and raw dot segments do not match a route at all.
            for path in ["/api/pipelines//etc/passwd", "/api/pipelines/../../etc/passwd", "/api/runs//etc/passwd"] {
                let r = try await client.execute(uri: path, method: .get, headers: APIFixture.headers(admin))
                #expect(r.status == .notFound || r.status == .badRequest, "\(path) answered \(r.status) \(r.text)")
            }
            #expect(try f.harness.ledger.runs(.init()).isEmpty)
            #expect(try f.harness.ledger.pausedPipelines().isEmpty)
        }
    }

    @Test func onlyPlainNamesAreSafe() {
        for ok in ["ventes", "stock-2026", "a_b.c", "20261121-070000-3f9a2c"] { #expect(PathNames.isSafe(ok), "\(ok)") }
        for bad in ["", "..", ".", "../x", "a/b", "a\\b", "a\u{0}", "/etc", "é", String(repeating: "a", count: 129), "%2e"] {
            #expect(!PathNames.isSafe(bad), "\(bad)")
        }
    }
}
