import Foundation
import SluiceHTTP
import SluiceTesting
import Testing

/// The HTTP client against a server on 127.0.0.1: what goes out, what comes back, and the
/// failures below HTTP.
@Suite struct HTTPClientTests {
    @Test func theStatusAndBodyComeBackAndTheRequestArrivesAsSent() throws {
        let server = try FakeHTTPServer { _ in .respond(status: 201, body: "{\"ok\":true}") }
        let response = try HTTPClient.send(method: "POST", url: server.url("/hooks/ventes?x=1"),
                                           headers: ["Content-Type": "application/json", "Idempotency-Key": "run-1/notify[0]"],
                                           body: Array("{\"total\": 3128.60}".utf8), timeout: 10)
        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"ok\":true}")
        #expect(response.retryAfter == nil)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.target == "/hooks/ventes?x=1")
        #expect(request.headers["content-type"] == "application/json" && request.headers["idempotency-key"] == "run-1/notify[0]")
        #expect(request.headers["expect"] == nil, "no 100-continue round trip")
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"total\": 3128.60}")
    }

    @Test func anErrorStatusIsAResponseNotAThrow() throws {
        let server = try FakeHTTPServer { _ in .respond(status: 503, headers: ["Retry-After": "120"], body: "busy") }
        let response = try HTTPClient.send(method: "POST", url: server.url(), headers: [:], body: [], timeout: 10)
        #expect(response.status == 503 && String(decoding: response.body, as: UTF8.self) == "busy")
        #expect(response.retryAfter == "120" && response.retryAfterSeconds(now: Date()) == 120)
    }

    @Test func aRedirectIsNotFollowed() throws {
        let server = try FakeHTTPServer { _ in .respond(status: 302, headers: ["Location": "http://127.0.0.1:9/elsewhere"]) }
        let response = try HTTPClient.send(method: "POST", url: server.url(), headers: [:], body: [], timeout: 10)
        #expect(response.status == 302 && server.requests.count == 1)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try FakeHTTPServer { _ in .silence }
        let start = ContinuousClock.now
        #expect(throws: HTTPTransportError.self) {
            try HTTPClient.send(method: "POST", url: server.url(), headers: [:], body: Array("{}".utf8), timeout: 0.3)
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(server.requests.count == 1, "the request was sent before the wait")
    }

    @Test func aRefusedConnectionIsATransportError() throws {
        let (socket, port) = try LoopbackListener.open()
        close(socket)
        do {
            _ = try HTTPClient.send(method: "POST", url: "http://127.0.0.1:\(port)/", headers: [:], body: [], timeout: 5)
            Issue.record("a closed port answered")
        } catch let error as HTTPTransportError {
            #expect(error.description.lowercased().contains("connect"), "\(error)")
        }
    }

    @Test func onlyHTTPAndHTTPSAreSpoken() {
        #expect(throws: HTTPTransportError.self) {
            try HTTPClient.send(method: "GET", url: "file:///etc/hostname", headers: [:], body: [], timeout: 5)
        }
    }

    @Test func retryAfterReadsSecondsOrAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_795_248_000) // Sat, 21 Nov 2026 08:00:00 GMT
        #expect(HTTPResponse(status: 429, body: [], retryAfter: " 30 ").retryAfterSeconds(now: now) == 30)
        #expect(HTTPResponse(status: 429, body: [], retryAfter: "Sat, 21 Nov 2026 08:15:00 GMT").retryAfterSeconds(now: now) == 900)
        #expect(HTTPResponse(status: 429, body: [], retryAfter: "Sat, 21 Nov 2026 07:00:00 GMT").retryAfterSeconds(now: now) == 0, "a date in the past is now")
        #expect(HTTPResponse(status: 429, body: [], retryAfter: "soon").retryAfterSeconds(now: now) == nil)
        #expect(HTTPResponse(status: 429, body: []).retryAfterSeconds(now: now) == nil)
    }
}
