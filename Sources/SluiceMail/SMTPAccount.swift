/// An SMTP server and how to log in to it.
///
/// Sending is always over TLS: implicit (`smtps://`, port 465) or STARTTLS, which is then
/// required (port 587; a server that does not offer it is refused, never used in clear).
/// `none` exists for a relay on the same machine only: it needs `allowPlain` and a
/// loopback host.
public struct SMTPAccount: Sendable, CustomStringConvertible {
    public enum Security: String, Sendable, CaseIterable {
        /// TLS from the first byte (`smtps://`, usually port 465).
        case implicit
        /// A plain connection upgraded with STARTTLS, which is required (usually port 587).
        case starttls
        /// No TLS: only to a loopback address, and only with `allowPlain`.
        case none

        /// The port that goes with the mode when none is given.
        public var defaultPort: Int {
            switch self {
            case .implicit: 465
            case .starttls: 587
            case .none: 25
            }
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    /// Never printed: `description` shows `<redacted>`.
    public var password: String?
    /// `PLAIN` or `LOGIN` to pin a mechanism; nil lets libcurl pick among those the server offers.
    public var authMechanism: String?
    /// A CA bundle (PEM) to verify the server with, for a private CA.
    public var caFile: String?
    public var allowPlain: Bool
    /// How long to wait for the server's answer to each command (and for a stalled upload).
    public var timeout: Double

    public init(host: String, port: Int? = nil, security: Security, username: String? = nil, password: String? = nil,
                authMechanism: String? = nil, caFile: String? = nil, allowPlain: Bool = false, timeout: Double = 60) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.username = username
        self.password = password
        self.authMechanism = authMechanism
        self.caFile = caFile
        self.allowPlain = allowPlain
        self.timeout = timeout
    }

    /// `smtps://host:465 as user (password <redacted>)`.
    public var description: String {
        var s = "\(scheme)://\(urlHost):\(port)"
        if let username { s += " as \(username)" }
        if password != nil { s += " (password <redacted>)" }
        return s
    }

    /// `host:port`, for messages.
    public var server: String { "\(host):\(port)" }

    var scheme: String { security == .implicit ? "smtps" : "smtp" }
    var urlHost: String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host }

    /// What libcurl is asked to do for one message. Throws a non-transient
    /// `MailTransportError` for an account that must not be used as it is: a bad host or
    /// port, plain text to a host that is not loopback, an unknown mechanism, a bad address.
    public func request(from sender: String, to recipients: [String]) throws -> SMTPRequest {
        guard !host.isEmpty, !host.contains(where: { $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" || $0.isWhitespace }) else {
            throw MailTransportError("the SMTP host '\(host)' is not a host name or address", transient: false)
        }
        guard (1 ... 65535).contains(port) else {
            throw MailTransportError("the SMTP port \(port) is not between 1 and 65535", transient: false)
        }
        if security == .none {
            guard allowPlain else {
                throw MailTransportError("tls: none sends the password and the message in clear; it needs allow-plain: true (and a loopback host)", transient: false)
            }
            guard Self.isLoopback(host) else {
                throw MailTransportError("tls: none is only allowed to a loopback address (127.0.0.1, ::1, localhost), not to \(host); use tls: starttls or implicit", transient: false)
            }
        }
        var loginOptions: String?
        if let mechanism = authMechanism?.uppercased() {
            guard mechanism == "PLAIN" || mechanism == "LOGIN" else {
                throw MailTransportError("the SMTP auth mechanism '\(authMechanism!)' is not supported (plain or login)", transient: false)
            }
            loginOptions = "AUTH=" + mechanism
        }
        for address in [sender] + recipients {
            guard Self.isEnvelopeAddress(address) else {
                throw MailTransportError("'\(address)' is not an address an SMTP envelope can carry", transient: false)
            }
        }
        guard !recipients.isEmpty else { throw MailTransportError("a message needs at least one recipient", transient: false) }
        return SMTPRequest(account: self, url: "\(scheme)://\(urlHost):\(port)", requireTLS: security == .starttls,
                           loginOptions: loginOptions, mailFrom: "<\(sender)>", recipients: recipients.map { "<\($0)>" })
    }

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

    /// ASCII, one `@` with text on both sides, no space, control character or angle bracket.
    static func isEnvelopeAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return address.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: ",") }
    }
}

/// One message's transaction as libcurl is told to make it.
public struct SMTPRequest: Sendable, CustomStringConvertible {
    public var account: SMTPAccount
    /// `smtps://host:465` or `smtp://host:587`.
    public var url: String
    /// STARTTLS is required (CURLOPT_USE_SSL = CURLUSESSL_ALL).
    public var requireTLS: Bool
    /// CURLOPT_LOGIN_OPTIONS: `AUTH=PLAIN` or `AUTH=LOGIN` when pinned.
    public var loginOptions: String?
    /// `<sender@example.com>`
    public var mailFrom: String
    /// `<recipient@example.com>`, one RCPT TO each.
    public var recipients: [String]

    public var description: String {
        "\(url)\(requireTLS ? " (STARTTLS required)" : "") MAIL FROM:\(mailFrom) RCPT TO:\(recipients.joined(separator: ","))"
            + (account.username.map { " as \($0) (password <redacted>)" } ?? "")
    }
}
