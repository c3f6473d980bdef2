import Foundation

/// How a mail connection is protected.
public enum MailTLS: String, Sendable, CaseIterable {
    /// TLS from the first byte (IMAPS on 993, SMTPS on 465).
    case implicit
    /// A plain connection upgraded with STARTTLS before any credential is sent; a server
    /// that does not offer it is refused.
    case starttls
    /// No TLS at all: only for a test server on a loopback address, and only when the
    /// account says `allow-plain: true`.
    case none
}

/// Where and as whom to connect to a mail server: what an `imap` or `smtp` entry of
/// connections.yaml says, with its secrets already read from the environment.
public struct MailAccount: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var tls: MailTLS
    public var username: String?
    public var password: String?
    /// An OAuth 2 access token, sent with SASL XOAUTH2 instead of a password.
    public var bearerToken: String?
    /// A PEM file of the certificate authorities to trust (a company's own CA); the system's otherwise.
    public var caFile: String?
    public var allowPlain: Bool
    /// Seconds to wait for the server before giving up on a connection or an answer.
    public var timeout: TimeInterval

    public init(host: String, port: Int, tls: MailTLS, username: String? = nil, password: String? = nil, bearerToken: String? = nil,
                caFile: String? = nil, allowPlain: Bool = false, timeout: TimeInterval = 60) {
        self.host = host
        self.port = port
        self.tls = tls
        self.username = username
        self.password = password
        self.bearerToken = bearerToken
        self.caFile = caFile
        self.allowPlain = allowPlain
        self.timeout = timeout
    }

    public var description: String { "\(username.map { $0 + "@" } ?? "")\(host):\(port) (\(tls.rawValue))" }

    /// True for 127.0.0.0/8, ::1 and `localhost`.
    public var isLoopback: Bool {
        let h = host.lowercased()
        return h == "localhost" || h == "::1" || h == "[::1]" || h.hasPrefix("127.")
    }

    /// Refuses a plain connection unless the account allows it and the server is on this machine:
    /// credentials never cross a network in clear text.
    public func checkTransport() throws(MailTransportError) {
        guard tls == .none else { return }
        guard allowPlain else {
            throw MailTransportError("\(host):\(port) would be reached without TLS; use tls: implicit or starttls "
                                     + "(allow-plain: true is only for a test server on this machine)", transient: false)
        }
        guard isLoopback else {
            throw MailTransportError("allow-plain is only honoured for a server on a loopback address, not \(host)", transient: false)
        }
    }

    /// The URL libcurl connects to: imaps://, imap://, smtps:// or smtp://.
    func url(scheme: String, path: String = "") -> String {
        let secure = tls == .implicit ? scheme + "s" : scheme
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(secure)://\(shownHost):\(port)/\(path)"
    }
}
