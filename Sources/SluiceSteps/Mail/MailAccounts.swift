import Foundation
import SluiceCore
import SluiceMail

/// Mail accounts from connections.yaml:
///
/// ```yaml
/// orders-mail:
///   type: imap                 # or smtp
///   host: imap.example.com
///   port: 993                  # default 993 (imap, implicit TLS), 143 (imap, starttls), 465 / 587 (smtp)
///   tls: implicit              # implicit | starttls | none (none: loopback test servers with allow-plain: true)
///   username: orders@example.com
///   password: ${env:ORDERS_MAIL_PASSWORD}   # or token: ${env:ORDERS_OAUTH_TOKEN} for XOAUTH2
///   ca-file: certs/company-ca.pem           # a private CA, relative to the workspace
/// ```
enum MailAccounts {
    static func account(named name: String, type: String, in connections: Connections, workspace: Workspace) throws -> MailAccount {
        guard let c = connections[name] else {
            throw StepError(.configuration, "no connection '\(name)' in connections.yaml\(Suggestion.didYouMean(name, among: connections.all.keys))",
                            hint: "add '\(name): { type: \(type), host: ..., username: ..., password: ${env:...} }' to connections.yaml")
        }
        guard c.type == type else {
            throw StepError(.configuration, "connection '\(name)' is of type \(c.type), not \(type)", file: "connections.yaml")
        }
        func setting(_ key: String) -> String? { c.setting(key).flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = setting("host") else {
            throw StepError(.configuration, "connection '\(name)' has no host", file: "connections.yaml")
        }
        let tlsText = setting("tls") ?? "implicit"
        guard let tls = MailTLS(rawValue: tlsText) else {
            throw StepError(.configuration, "connection '\(name)': tls is implicit, starttls or none, not '\(tlsText)'", file: "connections.yaml")
        }
        let defaultPort = switch (type, tls) {
        case ("imap", .implicit): 993
        case ("imap", _): 143
        case (_, .implicit): 465
        default: 587
        }
        let portText = setting("port")
        guard let port = portText.map({ Int($0) }) ?? defaultPort, (1...65535).contains(port) else {
            throw StepError(.configuration, "connection '\(name)': port '\(portText ?? "")' is not a port number", file: "connections.yaml")
        }
        var caFile = setting("ca-file")
        if let ca = caFile, !ca.hasPrefix("/") { caFile = workspace.root + "/" + ca }
        let timeout = setting("timeout").flatMap { DurationValue(parsing: $0) }.map { Double($0.milliseconds) / 1000 } ?? 60
        return MailAccount(host: host, port: port, tls: tls, username: setting("username"), password: setting("password"),
                           bearerToken: setting("token"), caFile: caFile, allowPlain: setting("allow-plain") == "true", timeout: timeout)
    }
}
