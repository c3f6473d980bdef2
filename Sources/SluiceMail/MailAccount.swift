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

/// Where and as whom to connect to a mail server (IMAP or SMTP): what an `imap` or `smtp`
/// entry of connections.yaml says, with its secrets already read from the environment.
public struct MailAccount: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var tls: MailTLS
    public var username: String?
    public var password: String?
    /// An OAuth 2 access token, sent with SASL XOAUTH2 instead of a password.
    public var bearerToken: String?
    /// `PLAIN` or `LOGIN` to pin a mechanism; nil lets libcurl pick among those the server offers.
    public var authMechanism: String?
    /// A PEM file of the certificate authorities to trust (a company's own CA); the system's otherwise.
    public var caFile: String?
    public var allowPlain: Bool
    /// Seconds to wait for the server before giving up on a connection or an answer.
    public var timeout: TimeInterval

    public init(host: String, port: Int, tls: MailTLS, username: String? = nil, password: String? = nil, bearerToken: String? = nil,
                authMechanism: String? = nil, caFile: String? = nil, allowPlain: Bool = false, timeout: TimeInterval = 60) {
        self.host = host
        self.port = port
        self.tls = tls
        self.username = username
        self.password = password
        self.bearerToken = bearerToken
        self.authMechanism = authMechanism
        self.caFile = caFile
        self.allowPlain = allowPlain
        self.timeout = timeout
    }

    /// `host:993 (implicit) as user`; never the password.
    public var description: String { "\(server) (\(tls.rawValue))" + (username.map { " as \($0)" } ?? "") }

    /// `host:port`, for messages.
    public var server: String { "\(host):\(port)" }

    /// 127.0.0.0/8, ::1 and `localhost`: addresses that never leave the machine.
    public static func isLoopback(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        if h.hasPrefix("::ffff:") { h = String(h.dropFirst(7)) }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }) else { return false }
        return parts[0] == "127"
    }

    /// Refuses a plain connection unless the account allows it and the server is on this machine:
    /// credentials never cross a network in clear text.
    public func checkTransport() throws(MailTransportError) {
        guard tls == .none else { return }
        guard allowPlain else {
            throw MailTransportError("tls: none sends the password in clear (no TLS to \(server)); it needs allow-plain: true "
                                     + "and a loopback host; use tls: implicit or starttls", transient: false)
        }
        guard Self.isLoopback(host) else {
            throw MailTransportError("tls: none is only allowed to a loopback address (127.0.0.1, ::1, localhost), not to \(host); "
                                     + "use tls: starttls or implicit", transient: false)
        }
    }

    /// The URL libcurl connects to: imaps://, imap://, smtps:// or smtp://.
    func url(scheme: String) -> String {
        let secure = tls == .implicit ? scheme + "s" : scheme
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(secure)://\(shownHost):\(port)"
    }
}
