/// Sending one message over SMTP: what libcurl is told, checked before it is told.
extension MailAccount {
    /// What libcurl is asked to do for one message. Throws a non-transient
    /// `MailTransportError` for an account that must not be used as it is: a bad host or
    /// port, plain text to a host that is not loopback, an unknown mechanism, a bad address.
    public func smtpRequest(from sender: String, to recipients: [String]) throws -> SMTPRequest {
        guard !host.isEmpty, !host.contains(where: { $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" || $0.isWhitespace }) else {
            throw MailTransportError("the SMTP host '\(host)' is not a host name or address", transient: false)
        }
        guard (1 ... 65535).contains(port) else {
            throw MailTransportError("the SMTP port \(port) is not between 1 and 65535", transient: false)
        }
        try checkTransport()
        // PLAIN or LOGIN, whichever the server offers, unless one is pinned.
        var loginOptions: String? = username == nil ? nil : "AUTH=PLAIN;AUTH=LOGIN"
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
        return SMTPRequest(account: self, url: url(scheme: "smtp"), requireTLS: tls == .starttls,
                           loginOptions: loginOptions, mailFrom: "<\(sender)>", recipients: recipients.map { "<\($0)>" })
    }

    /// ASCII, one `@` with text on both sides, no space, control character or angle bracket.
    public static func isEnvelopeAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return address.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: ",") }
    }
}

/// One message's transaction as libcurl is told to make it.
public struct SMTPRequest: Sendable, CustomStringConvertible {
    public var account: MailAccount
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
