import Foundation
import SluiceCore
import SluiceSteps
import SluiceTesting
import Testing

/// The webhook step in a run, against a server on 127.0.0.1: what it posts, and how the
/// server's answer decides the run.
@Suite struct WebhookStepTests {
    func manifest(_ server: FakeHTTPServer, retry: String = "") -> String {
        """
        triggers: { inbox: { settle: 0s } }
        \(retry)
        extract:
          - csv: {}
        notify:
          - webhook: { url: "\(server.url("/hooks/ventes"))" }
        """
    }

    @Test func theRunSummaryIsPostedWithAnIdempotencyKey() throws {
        let server = try FakeHTTPServer { _ in .respond(status: 204) }
        let h = try PipelineHarness()
        try h.pipeline("ventes", manifest(server))
        try h.drop("ventes", "a.csv", "x\n1\n2\n")
        let run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .succeeded, "\(String(describing: run.failure))")
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1 && request.method == "POST" && request.target == "/hooks/ventes")
        #expect(request.headers["content-type"] == "application/json" && request.headers["idempotency-key"]?.isEmpty == false)
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body.contains("\"pipeline\":\"ventes\"") && body.contains("\"run\":\"\(run.id)\""), "\(body)")
    }

    @Test func aBusyServerMakesTheRunWaitForItsRetryAfter() throws {
        let server = try FakeHTTPServer { _ in .respond(status: 503, headers: ["Retry-After": "900"], body: "maintenance") }
        let h = try PipelineHarness()
        try h.pipeline("ventes", manifest(server, retry: "retry: { initial: 1s, jitter: false }"))
        try h.drop("ventes", "a.csv", "x\n1\n")
        let run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .waiting && run.wakeAt == h.clock.now() + 900)
        #expect(run.retryError?.message.contains("answered HTTP 503: maintenance") == true, "\(String(describing: run.retryError))")
    }

    @Test func aRefusingServerFailsTheRunWithItsAnswer() throws {
        let server = try FakeHTTPServer { _ in .respond(status: 400, body: "bad field") }
        let h = try PipelineHarness()
        try h.pipeline("ventes", manifest(server))
        try h.drop("ventes", "a.csv", "x\n1\n")
        let run = try #require(try h.runner.runBatch().runs.first)
        #expect(run.status == .failed && run.failure?.message.contains("answered HTTP 400: bad field") == true, "\(String(describing: run.failure))")
    }
}
