import Foundation

/// A plain-text IMAP server on 127.0.0.1 for the session's tests: it greets, lets anyone log
/// in, and answers every other command with what `answer` gives for it (without the tag,
/// which it adds). One connection at a time, on its own thread.
public final class FakeIMAPServer: Sendable {
    public var port: UInt16 { server.port }
    private let server: LoopbackServer
    /// Given a command (without its tag), the lines to send back; the last line is the
    /// completion (`OK done`), sent with the command's tag.
    public let answer: @Sendable (String) -> [String]

    public init(answer: @escaping @Sendable (String) -> [String]) throws {
        self.answer = answer
        server = try LoopbackServer()
        server.start { [self] in converse($0) }
    }

    private func converse(_ fd: Int32) {
        var buffer: [UInt8] = []
        func write(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } }
        write("* OK [CAPABILITY IMAP4rev1] fake ready\r\n")
        while true {
            guard let i = buffer.firstIndex(of: 0x0A) else {
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                buffer += chunk[..<n]
                continue
            }
            let line = String(decoding: buffer[..<i], as: UTF8.self).trimmingCharacters(in: .newlines)
            buffer.removeSubrange(...i)
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let (tag, command) = (parts[0], parts[1])
            switch command.split(separator: " ").first?.uppercased() {
            case "CAPABILITY"?: write("* CAPABILITY IMAP4rev1 UIDPLUS\r\n\(tag) OK done\r\n")
            case "AUTHENTICATE"?, "LOGIN"?: write("\(tag) OK logged in\r\n")
            case "LOGOUT"?: write("* BYE\r\n\(tag) OK bye\r\n"); return
            default:
                let lines = answer(command)
                write(lines.dropLast().joined() + "\(tag) \(lines.last ?? "OK done")\r\n")
            }
        }
    }
}
