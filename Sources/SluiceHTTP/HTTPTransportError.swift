/// A failure below HTTP: refused connection, timeout, TLS.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}
