import Foundation
import SluiceCore

/// Finds the token a request presents among the ledger's, by SHA-256, comparing every
/// unrevoked token's hash in constant time (the time does not depend on how much of a hash
/// matched, nor on which token matched).
public struct APITokenCheck: Sendable {
    public let store: any APITokenStore

    public init(store: any APITokenStore) { self.store = store }

    /// The record of the unrevoked token `secret`; nil when there is none.
    public func record(for secret: String) throws -> APITokenRecord? {
        let presented = Array(APITokenSecret.sha256(secret).utf8)
        var found: APITokenRecord?
        for token in try store.tokens() where token.revokedAt == nil {
            if Self.constantTimeEqual(presented, Array(token.sha256.utf8)) { found = token }
        }
        return found
    }

    /// Whether two byte strings are equal, in a time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// Making tokens: 32 random bytes, written `sluice_` and 64 hex digits. Only their SHA-256 is kept.
public enum APITokenSecret {
    public static let prefix = "sluice_"

    /// A new token and its record (not yet stored).
    public static func make(scope: APIScope, name: String?, at date: Date) -> (secret: String, record: APITokenRecord) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = prefix + SHA256.hexString(bytes)
        let hash = sha256(secret)
        let id = "tok_" + String(SHA256.hex(Array(("id\u{0}" + secret).utf8)).prefix(10))
        return (secret, APITokenRecord(id: id, name: name, scope: scope, createdAt: date, sha256: hash))
    }

    /// The SHA-256 of a token, in lowercase hex.
    public static func sha256(_ secret: String) -> String { SHA256.hex(Array(secret.utf8)) }
}
