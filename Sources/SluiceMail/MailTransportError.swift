/// A failure talking to a mail server: the connection, TLS, or an answer we did not expect.
///
/// `transient` failures (a dropped connection, a timeout, an SMTP 4xx) may succeed when tried
/// again; the others (a refused login, an SMTP 5xx) need a person.
public struct MailTransportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// The server's own answer, when it gave one (`550 5.1.1 <x@example.com>: unknown user`).
    public var serverReply: String?
    public var transient: Bool

    public init(_ message: String, serverReply: String? = nil, transient: Bool) {
        self.message = message
        self.serverReply = serverReply
        self.transient = transient
    }

    public var description: String {
        serverReply.map { "\(message): \($0)" } ?? message
    }
}
