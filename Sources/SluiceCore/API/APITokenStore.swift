import Foundation

/// What an API token may do. `read` answers GET requests; `trigger` starts runs (and nothing
/// else: it is the secret handed to another system); `admin` may do everything, including what
/// changes the daemon (pause, resume, reload, retry, cancel).
public enum APIScope: String, Sendable, Codable, CaseIterable {
    case read, trigger, admin

    /// Whether a token of this scope may do what needs `needed`.
    public func allows(_ needed: APIScope) -> Bool { self == .admin || self == needed }
}

/// An API token as the ledger keeps it: never the token itself, only its SHA-256.
public struct APITokenRecord: Sendable, Codable, Hashable {
    /// A short public name for the token (`tok_3f9a1c2e`), shown by `sluice api-token list`.
    public var id: String
    /// What the person who made it called it.
    public var name: String?
    public var scope: APIScope
    public var createdAt: Date
    public var revokedAt: Date?
    /// SHA-256 of the token, in lowercase hex.
    public var sha256: String

    public init(id: String, name: String?, scope: APIScope, createdAt: Date, revokedAt: Date? = nil, sha256: String) {
        self.id = id
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.sha256 = sha256
    }
}

/// A ledger that keeps API tokens (`sluice api-token`): the SQLite ledger does.
public protocol APITokenStore: Sendable {
    /// Records a new token.
    func insertToken(_ token: APITokenRecord) throws
    /// Every token, revoked ones too, oldest first.
    func tokens() throws -> [APITokenRecord]
    /// Revokes the token with this id; returns whether there was such an unrevoked token.
    func revokeToken(id: String, at date: Date) throws -> Bool
}
