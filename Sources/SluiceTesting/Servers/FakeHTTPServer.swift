import Foundation
import Synchronization

/// A plain HTTP/1.1 server on 127.0.0.1 for the HTTP client's and the webhook step's tests: it
/// reads each request whole (head and `Content-Length` body), keeps it, and answers with what
/// `answer` gives for it, closing the connection after each answer. One connection at a time,
/// on its own thread.
public final class FakeHTTPServer: Sendable {
    /// A request as it arrived.
    public struct Request: Sendable {
        public var method: String
        public var target: String
        /// Header names in lower case; a repeated header keeps its last value.
        public var headers: [String: String]
        public var body: [UInt8]
    }

    /// What the server does with a request.
    public enum Answer: Sendable {
        /// Answers with this status, headers and body.
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// Never answers, and waits for the client to give up and close the connection.
        case silence
    }

    public var port: UInt16 { server.port }
    private let server: LoopbackServer
    private let answer: @Sendable (Request) -> Answer
    private let received = Mutex<[Request]>([])

    public init(answer: @escaping @Sendable (Request) -> Answer) throws {
        self.answer = answer
        server = try LoopbackServer()
        server.start { [self] in converse($0) }
    }

    /// `http://127.0.0.1:<port><path>`
    public func url(_ path: String = "/") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests received so far, in order.
    public var requests: [Request] { received.withLock { $0 } }

    private func converse(_ fd: Int32) {
        var buffer: [UInt8] = []
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            buffer += chunk[..<n]
            return true
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.indices.dropLast(3).first { Array(buffer[$0 ..< $0 + 4]) == separator }
            if headEnd == nil, !fill() { return }
        }
        let lines = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let start = lines[0].split(separator: " ").map(String.init)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "") ?? 0
        buffer.removeSubrange(..<(headEnd! + 4))
        while buffer.count < length { if !fill() { return } }
        let request = Request(method: start.first ?? "", target: start.count > 1 ? start[1] : "", headers: headers, body: Array(buffer.prefix(length)))
        received.withLock { $0.append(request) }
        switch answer(request) {
        case .silence:
            while fill() { buffer.removeAll() }
        case let .respond(status, extra, body):
            var head = "HTTP/1.1 \(status) \(status < 400 ? "OK" : "Error")\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in extra.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
            let bytes = Array((head + "\r\n" + body).utf8)
            _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        }
    }
}
