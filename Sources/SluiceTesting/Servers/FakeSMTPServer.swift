import Foundation
import Synchronization

/// A plain-text SMTP server on 127.0.0.1 for the client's tests: it answers each command
/// with a scripted reply and keeps each message's DATA exactly as it arrived (still
/// dot-stuffed). One connection at a time, on its own thread.
public final class FakeSMTPServer: Sendable {
    public struct Received: Sendable {
        public var mailFrom: String
        public var recipients: [String]
        /// The bytes between DATA's 354 and the final `.` line, as sent.
        public var raw: [UInt8]
    }

    /// Replies by command verb (`RCPT`, `DATA`, `END` for the end of data); others get 250.
    public let replies: [String: String]
    /// Close the connection after the final dot without answering.
    public let dropAfterDot: Bool
    public var port: UInt16 { server.port }
    private let server: LoopbackServer
    private let received = Mutex<[Received]>([])

    public init(replies: [String: String] = [:], dropAfterDot: Bool = false) throws {
        self.replies = replies
        self.dropAfterDot = dropAfterDot
        server = try LoopbackServer()
        server.start { [self] in converse($0) }
    }

    /// The messages received so far, in order.
    public var messages: [Received] { received.withLock { $0 } }

    private func converse(_ fd: Int32) {
        var buffer: [UInt8] = []
        func write(_ text: String) { _ = Array((text + "\r\n").utf8).withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } }
        func readLine() -> String? {
            while true {
                if let i = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<i], as: UTF8.self).trimmingCharacters(in: .newlines)
                    buffer.removeSubrange(...i)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return nil }
                buffer += chunk[..<n]
            }
        }
        var current = Received(mailFrom: "", recipients: [], raw: [])
        write("220 fake.test ESMTP")
        while let line = readLine() {
            let verb = line.split(separator: " ").first.map { String($0).uppercased() } ?? ""
            switch verb {
            case "EHLO": write("250-fake.test\r\n250 8BITMIME")
            case "MAIL": current.mailFrom = line; write(replies["MAIL"] ?? "250 2.1.0 Ok")
            case "RCPT":
                let reply = replies["RCPT"] ?? "250 2.1.5 Ok"
                if reply.hasPrefix("2") { current.recipients.append(line) }
                write(reply)
            case "DATA":
                let reply = replies["DATA"] ?? "354 End data with <CR><LF>.<CR><LF>"
                write(reply)
                guard reply.hasPrefix("354") else { continue }
                let end: [UInt8] = Array("\r\n.\r\n".utf8)
                while !(buffer.count >= end.count && Array(buffer.suffix(end.count)) == end) {
                    var chunk = [UInt8](repeating: 0, count: 65536)
                    let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
                    if n <= 0 { return }
                    buffer += chunk[..<n]
                }
                current.raw = Array(buffer.dropLast(3))
                buffer = []
                let message = current
                received.withLock { $0.append(message) }
                current = Received(mailFrom: "", recipients: [], raw: [])
                if dropAfterDot { return }
                write(replies["END"] ?? "250 2.0.0 Ok: queued as FAKE1")
            case "QUIT": write("221 2.0.0 Bye"); return
            default: write("250 Ok")
            }
        }
    }
}
