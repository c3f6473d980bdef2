import Foundation

/// A response to an HTTP request.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The Retry-After header, when the server sent one (seconds, or an HTTP date).
    public var retryAfter: String? = nil

    public init(status: Int, body: [UInt8], retryAfter: String? = nil) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }

    /// Retry-After as seconds from `now`.
    public func retryAfterSeconds(now: Date) -> TimeInterval? {
        guard let text = retryAfter?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return max(0, seconds) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}
