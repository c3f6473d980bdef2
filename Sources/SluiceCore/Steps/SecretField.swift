import Foundation
import Yams

/// How a field (of a step's configuration, or of a connection in connections.yaml) holds a
/// secret. `sluice validate` warns when such a value is written as a literal instead of
/// `${env:NAME}`: manifests and connections.yaml are copied, committed and shown.
public enum SecretField: Sendable, Hashable {
    /// The whole value is the secret: a password, a token.
    case value
    /// A mapping of headers: the entries named like credentials (`Authorization`,
    /// `Proxy-Authorization`, `Cookie`, and names with `token`, `key`, `secret`, `auth` or `password`).
    case credentialHeaders
    /// A URL: the password in it (`postgres://user:password@host/db`) or a query parameter
    /// named like a credential (`?token=...`, `api_key`, `sig`).
    case urlCredentials

    /// What the reference says of such a field: `secret`, `credentials are secrets`, ...
    public var note: String {
        switch self {
        case .value: "secret: write ${env:NAME}"
        case .credentialHeaders: "credentials in it are secrets: write ${env:NAME}"
        case .urlCredentials: "a password or token in it is a secret: write ${env:NAME}"
        }
    }

    /// The literal secrets in `node`: their path below the field and the node of the value.
    public func literals(in node: Node) -> [(path: [String], node: Node)] {
        switch self {
        case .value:
            switch node {
            case .scalar: return Self.isLiteral(node.string) ? [([], node)] : []
            case let .sequence(items): return items.enumerated().filter { Self.isLiteral($0.element.string) }.map { ([String($0.offset)], $0.element) }
            default: return []
            }
        case .credentialHeaders:
            guard case let .mapping(m) = node else { return [] }
            return m.compactMap { key, value in
                guard let name = key.string, Self.isCredentialName(name), Self.isLiteral(value.string) else { return nil }
                return ([name], value)
            }
        case .urlCredentials:
            guard case .scalar = node, let text = node.string, Self.urlHasLiteralCredential(text) else { return [] }
            return [([], node)]
        }
    }

    /// A non-empty scalar that takes nothing from the environment.
    static func isLiteral(_ text: String?) -> Bool {
        guard let text, !text.isEmpty else { return false }
        return !text.contains("${env:")
    }

    static let credentialWords = ["authorization", "cookie", "token", "key", "secret", "auth", "password", "passwd", "signature", "sig"]

    /// `Authorization`, `X-Api-Key`, `access_token`, `sig`: a name a credential goes under.
    public static func isCredentialName(_ name: String) -> Bool {
        let lower = name.lowercased()
        let words = lower.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
        // The webhook's own header, the same for every attempt: an identifier, not a credential.
        if lower == "idempotency-key" { return false }
        return words.contains { credentialWords.contains($0) } || ["apikey", "accesstoken", "clientsecret"].contains(lower)
    }

    /// A password in the URL's user part, or a credential query parameter, written literally.
    static func urlHasLiteralCredential(_ text: String) -> Bool {
        guard let components = URLComponents(string: text) else { return false }
        if let password = components.percentEncodedPassword, isLiteral(password) { return true }
        return (components.queryItems ?? []).contains { isCredentialName($0.name) && isLiteral($0.value) }
    }
}
