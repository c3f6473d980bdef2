/// A reply of an SMTP server (RFC 5321 4.2): a three-digit code and one or more lines of
/// text, `250-first` ... `250 last`.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    /// The text of each line, after the code and its separator.
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// `550 5.1.1 <x@example.com>: unknown user` (several lines joined with ` / `).
    public var description: String {
        "\(code) " + lines.filter { !$0.isEmpty }.joined(separator: " / ")
    }

    /// 4xx: the server may accept the same command later.
    public var isTransientFailure: Bool { (400 ..< 500).contains(code) }
    /// 5xx: the server will not accept it.
    public var isPermanentFailure: Bool { (500 ..< 600).contains(code) }

    /// Every complete reply in what the server sent, in order. Lines that do not start with
    /// a code are left out; a multi-line reply ends at its line with a space after the code.
    public static func parse(_ received: String) -> [SMTPReply] {
        var replies: [SMTPReply] = []
        var pending: SMTPReply?
        for raw in received.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            let line = Array(raw.utf8)
            guard line.count >= 3, line[0 ..< 3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let code = Int(String(decoding: line[0 ..< 3], as: UTF8.self)) else {
                continue
            }
            let more = line.count > 3 && line[3] == UInt8(ascii: "-")
            let text = line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : ""
            if pending?.code != code { pending = SMTPReply(code: code, lines: []) }
            pending!.lines.append(text)
            if !more {
                replies.append(pending!)
                pending = nil
            }
        }
        return replies
    }
}

/// What libcurl saw of one transaction, and how to read a failure from it.
public struct SMTPTranscript: Sendable {
    /// The server's replies, in order.
    public var replies: [SMTPReply]
    /// The last command sent (`RCPT TO:<x@example.com>`, `DATA`, `AUTH PLAIN`; never credentials).
    public var lastCommand: String?
    /// Every byte of the message was handed to libcurl.
    public var uploadedWholeMessage: Bool

    public init(replies: [SMTPReply], lastCommand: String?, uploadedWholeMessage: Bool) {
        self.replies = replies
        self.lastCommand = lastCommand
        self.uploadedWholeMessage = uploadedWholeMessage
    }

    /// The reply that decides the outcome: the last one, not counting the answer to QUIT.
    public var decisiveReply: SMTPReply? { replies.last { $0.code != 221 } }

    /// The failure a libcurl error code means here. A 4xx reply is transient and a 5xx one
    /// permanent, with the server's own words; without a failing reply, a lost or refused
    /// connection or a timeout is transient, and TLS and login problems need a person.
    public func failure(curlCode: Int, curlMessage: String, account: MailAccount) -> MailTransportError {
        let server = account.server
        if let reply = decisiveReply, reply.code >= 400 {
            let during = lastCommand.map { " to \($0)" } ?? ""
            return MailTransportError("the SMTP server \(server) answered\(during)", serverReply: reply.description, transient: reply.isTransientFailure)
        }
        switch curlCode {
        case 6:
            return MailTransportError("cannot resolve the SMTP host \(account.host): \(curlMessage)", transient: true)
        case 7:
            return MailTransportError("cannot connect to the SMTP server \(server) (connection refused or unreachable)", transient: true)
        case 28:
            return MailTransportError("the SMTP server \(server) did not answer in time (\(curlMessage))", transient: true)
        case 35:
            // Also a connection reset mid-handshake: tried again, within the retry policy's attempts.
            return MailTransportError("the TLS handshake with \(server) failed: \(curlMessage); if it goes on, check that the port goes with tls: \(account.tls.rawValue) (465 is implicit, 587 starttls)", transient: true)
        case 58, 60, 77, 83, 90, 91:
            return MailTransportError("the TLS certificate of \(server) could not be verified: \(curlMessage); for a private CA, give the connection a ca-file", transient: false)
        case 64:
            return MailTransportError("the SMTP server \(server) does not offer STARTTLS, and Sluice does not send in clear; use tls: implicit if it speaks TLS on another port", transient: false)
        case 67:
            return MailTransportError("the SMTP server \(server) refused the login: \(curlMessage); check the connection's username, password and auth", transient: false)
        case 1, 3, 4, 43, 48:
            return MailTransportError("libcurl cannot send to \(account): \(curlMessage)", transient: false)
        default:
            if decisiveReply?.code == 354 && uploadedWholeMessage {
                return MailTransportError("the connection to \(server) was lost after the whole message was sent and before the server confirmed it (the message may have been delivered): \(curlMessage)", transient: true)
            }
            let during = lastCommand.map { " after \($0)" } ?? ""
            return MailTransportError("the connection to the SMTP server \(server) failed\(during): \(curlMessage)", transient: true)
        }
    }
}
