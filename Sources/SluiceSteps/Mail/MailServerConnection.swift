import Foundation
import SluiceCore
import SluiceFormats
import SluiceMail

/// A mail account from `connections.yaml`, for the `imap` and `email` steps:
///
/// ```yaml
/// orders-mail:
///   type: imap                   # or smtp
///   host: imap.example.com
///   port: 993                    # default: 993 / 465 with tls: implicit, 143 / 587 with starttls
///   tls: implicit                # implicit | starttls | none (default: implicit on 993 and 465, else
///                                # starttls for a port given, else implicit for imap, starttls for smtp)
///   username: orders@example.com
///   password: ${env:ORDERS_MAIL_PASSWORD}
///   token: ${env:ORDERS_OAUTH_TOKEN}       # imap: an OAuth 2 access token (XOAUTH2) instead
///   from: "Sluice <robot@example.com>"     # smtp: the sender
///   auth: plain                  # smtp: pin plain or login (default: what the server offers)
///   ca-file: certs/ca.pem        # a private CA, relative to the workspace
///   allow-plain: false           # tls: none needs it, and a loopback host
///   timeout: 60s
/// ```
public struct MailServerConnection: Sendable {
    public enum Service: String, Sendable { case imap, smtp }

    static let commonKeys = ["type", "host", "port", "tls", "username", "password", "ca-file", "allow-plain", "timeout"]
    static func keys(_ service: Service) -> [String] { commonKeys + (service == .imap ? ["token"] : ["from", "auth"]) }

    public var name: String
    public var account: MailAccount
    /// The sender, when an smtp connection names one.
    public var from: MailAddress?

    /// Reads the connection; errors name it and the key, and say what to write.
    public init(_ connection: Connections.Connection, service: Service, workspace: Workspace) throws {
        let name = connection.name
        func fail(_ message: String, hint: String? = nil) -> StepError {
            StepError(.configuration, "connection '\(name)' in connections.yaml: \(message)", hint: hint)
        }
        guard connection.type == service.rawValue else { throw fail("is of type '\(connection.type)', not \(service.rawValue)") }
        let keys = Self.keys(service)
        for key in connection.settings.keys.sorted() + connection.maps.keys.sorted() + connection.lists.keys.sorted() where !keys.contains(key) {
            throw fail("unknown key '\(key)'\(Suggestion.didYouMean(key, among: keys))", hint: "an \(service.rawValue) connection has \(keys.joined(separator: ", "))")
        }
        func setting(_ key: String) -> String? { connection.setting(key).flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = setting("host") else { throw fail("no 'host'", hint: "write e.g. host: \(service.rawValue).example.com") }
        var port: Int?
        if let text = setting("port") {
            guard let p = Int(text), (1 ... 65535).contains(p) else { throw fail("port '\(text)' is not a port number") }
            port = p
        }
        let tls: MailTLS
        if let text = setting("tls") {
            guard let t = MailTLS(rawValue: text.lowercased()) else {
                throw fail("tls '\(text)' is not one of implicit, starttls, none", hint: service == .imap ? "implicit for port 993, starttls for 143" : "implicit for port 465, starttls for 587")
            }
            tls = t
        } else if let port {
            tls = port == 993 || port == 465 ? .implicit : .starttls
        } else {
            tls = service == .imap ? .implicit : .starttls
        }
        let allowPlain: Bool
        switch setting("allow-plain")?.lowercased() {
        case nil, "false", "no": allowPlain = false
        case "true", "yes": allowPlain = true
        case let other?: throw fail("allow-plain '\(other)' is not true or false")
        }
        var timeout = 60.0
        if let text = setting("timeout") {
            guard let d = DurationValue(parsing: text), d.milliseconds > 0 else { throw fail("timeout '\(text)' is not a duration (e.g. 30s, 2m)") }
            timeout = d.seconds
        }
        let caFile = setting("ca-file").map { $0.hasPrefix("/") ? $0 : workspace.root + "/" + $0 }
        if let caFile, !FileOperations.exists(caFile) { throw fail("the ca-file \(caFile) does not exist") }
        let username = setting("username")
        let password = connection.setting("password")
        let token = setting("token")
        if username != nil && (password ?? "").isEmpty && token == nil {
            throw fail("has a username but an empty password", hint: "write password: ${env:NAME} and export NAME before running sluice")
        }
        let defaultPort = switch (service, tls) {
        case (.imap, .implicit): 993
        case (.imap, _): 143
        case (.smtp, .implicit): 465
        case (.smtp, _): 587
        }
        self.name = name
        account = MailAccount(host: host, port: port ?? defaultPort, tls: tls, username: username, password: password, bearerToken: token,
                              authMechanism: setting("auth"), caFile: caFile, allowPlain: allowPlain, timeout: timeout)
        if let text = setting("from") {
            guard let address = MailAddress.parse(text), address.isDeliverable else { throw fail("from '\(text)' is not an e-mail address") }
            from = address
        }
    }

    /// `sluice validate`: every imap and smtp connection read as the steps will read it, its
    /// problems (an unknown key, a bad port or tls, a missing ca-file) at its place.
    public static func check(_ connections: Connections, workspace: Workspace) -> Diagnostics {
        var diagnostics = Diagnostics()
        for c in connections.all.values.sorted(by: { $0.name < $1.name }) {
            // Values from unset variables are empty here; the warning about them says enough.
            guard let service = Service(rawValue: c.type), c.unsetVariables.isEmpty else { continue }
            do { _ = try MailServerConnection(c, service: service, workspace: workspace) } catch {
                let e = error as? StepError
                diagnostics.error((e?.message ?? "\(error)") + (e?.hint.map { " (\($0))" } ?? ""),
                                  at: c.location ?? SourceLocation(file: "connections.yaml", line: 1, column: 1))
            }
        }
        return diagnostics
    }

    /// The connection called `name`, or without a name the only one of this service there is.
    public static func named(_ name: String?, service: Service, in connections: Connections, workspace: Workspace) throws -> MailServerConnection {
        let candidates = connections.all.values.filter { $0.type == service.rawValue }.map(\.name).sorted()
        guard let name else {
            guard candidates.count == 1 else {
                throw StepError(.configuration, candidates.isEmpty ? "no \(service.rawValue) connection in connections.yaml"
                                    : "connections.yaml has \(candidates.count) \(service.rawValue) connections (\(candidates.joined(separator: ", "))); name one with 'connection'",
                                hint: candidates.isEmpty ? "add one with type: \(service.rawValue), host, username, password" : nil)
            }
            return try MailServerConnection(connections[candidates[0]]!, service: service, workspace: workspace)
        }
        guard let connection = connections[name] else {
            throw StepError(.configuration, "no connection '\(name)' in connections.yaml\(Suggestion.didYouMean(name, among: connections.all.keys))",
                            hint: candidates.isEmpty ? "add one with type: \(service.rawValue)" : "\(service.rawValue) connections: \(candidates.joined(separator: ", "))")
        }
        return try MailServerConnection(connection, service: service, workspace: workspace)
    }
}
