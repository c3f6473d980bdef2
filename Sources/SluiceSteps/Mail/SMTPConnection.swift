import Foundation
import SluiceCore
import SluiceFormats
import SluiceMail

/// An SMTP account from `connections.yaml`:
///
/// ```yaml
/// mail-out:
///   type: smtp
///   host: smtp.example.com
///   port: 587                    # default: 465 with tls: implicit, 587 with starttls
///   tls: starttls                # implicit | starttls | none (default: implicit on 465, else starttls)
///   username: robot@example.com
///   password: ${env:SMTP_PASSWORD}
///   from: "Sluice <robot@example.com>"
///   ca-file: certs/ca.pem        # a private CA, relative to the workspace
///   auth: plain                  # pin plain or login (default: what the server offers)
///   allow-plain: false           # tls: none needs it, and a loopback host
///   timeout: 60s
/// ```
public struct SMTPConnection: Sendable {
    public static let keys = ["type", "host", "port", "tls", "username", "password", "from", "ca-file", "auth", "allow-plain", "timeout"]

    public var name: String
    public var account: SMTPAccount
    /// The sender, when the connection names one.
    public var from: MailAddress?

    /// Reads the connection; errors name it and the key, and say what to write.
    public init(_ connection: Connections.Connection, workspace: Workspace) throws {
        let name = connection.name
        func fail(_ message: String, hint: String? = nil) -> StepError {
            StepError(.configuration, "connection '\(name)' in connections.yaml: \(message)", hint: hint)
        }
        guard connection.type == "smtp" else { throw fail("is of type '\(connection.type)', not smtp") }
        for key in connection.settings.keys.sorted() + connection.maps.keys.sorted() + connection.lists.keys.sorted() where !Self.keys.contains(key) {
            throw fail("unknown key '\(key)'\(Suggestion.didYouMean(key, among: Self.keys))", hint: "an smtp connection has \(Self.keys.joined(separator: ", "))")
        }
        guard let host = connection.setting("host"), !host.isEmpty else { throw fail("no 'host'", hint: "write e.g. host: smtp.example.com") }
        var port: Int?
        if let text = connection.setting("port") {
            guard let p = Int(text), (1 ... 65535).contains(p) else { throw fail("port '\(text)' is not a port number") }
            port = p
        }
        let security: SMTPAccount.Security
        if let text = connection.setting("tls") {
            guard let s = SMTPAccount.Security(rawValue: text.lowercased()) else {
                throw fail("tls '\(text)' is not one of implicit, starttls, none", hint: "implicit for port 465, starttls for 587")
            }
            security = s
        } else {
            security = port == 465 ? .implicit : .starttls
        }
        let allowPlain: Bool
        switch connection.setting("allow-plain")?.lowercased() {
        case nil, "false", "no": allowPlain = false
        case "true", "yes": allowPlain = true
        case let other?: throw fail("allow-plain '\(other)' is not true or false")
        }
        var timeout = 60.0
        if let text = connection.setting("timeout") {
            guard let d = DurationValue(parsing: text), d.milliseconds > 0 else { throw fail("timeout '\(text)' is not a duration (e.g. 30s, 2m)") }
            timeout = d.seconds
        }
        let caFile = connection.setting("ca-file").map { $0.hasPrefix("/") ? $0 : workspace.root + "/" + $0 }
        if let caFile, !FileOperations.exists(caFile) { throw fail("the ca-file \(caFile) does not exist") }
        let username = connection.setting("username").flatMap { $0.isEmpty ? nil : $0 }
        let password = connection.setting("password")
        if username != nil && (password ?? "").isEmpty {
            throw fail("has a username but an empty password", hint: "write password: ${env:NAME} and export NAME before running sluice")
        }
        self.name = name
        account = SMTPAccount(host: host, port: port, security: security, username: username, password: password,
                              authMechanism: connection.setting("auth"), caFile: caFile, allowPlain: allowPlain, timeout: timeout)
        if let text = connection.setting("from") {
            guard let address = MailAddress.parse(text), address.isDeliverable else { throw fail("from '\(text)' is not an e-mail address") }
            from = address
        }
    }

    /// The connection called `name`, or without a name the only smtp connection there is.
    public static func named(_ name: String?, in connections: Connections, workspace: Workspace) throws -> SMTPConnection {
        let smtp = connections.all.values.filter { $0.type == "smtp" }.map(\.name).sorted()
        guard let name else {
            guard smtp.count == 1 else {
                throw StepError(.configuration, smtp.isEmpty ? "no smtp connection in connections.yaml"
                                    : "connections.yaml has \(smtp.count) smtp connections (\(smtp.joined(separator: ", "))); name one with 'connection'",
                                hint: smtp.isEmpty ? "add one with type: smtp, host, username, password and from" : nil)
            }
            return try SMTPConnection(connections[smtp[0]]!, workspace: workspace)
        }
        guard let connection = connections[name] else {
            throw StepError(.configuration, "no connection '\(name)' in connections.yaml\(Suggestion.didYouMean(name, among: connections.all.keys))",
                            hint: smtp.isEmpty ? "add one with type: smtp" : "smtp connections: \(smtp.joined(separator: ", "))")
        }
        return try SMTPConnection(connection, workspace: workspace)
    }
}
