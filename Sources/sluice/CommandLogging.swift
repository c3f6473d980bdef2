import Foundation
import Logging
import SluiceCore

/// The process's logging, set up once by `Sluice.main` before any command runs.
enum CommandLogging {
    /// Warnings and errors to standard error; everything with `--verbose`.
    static func bootstrap(verbose: Bool) {
        let level: Logger.Level = verbose ? .debug : .warning
        LoggingSystem.bootstrap { label in
            var handler = OneLineLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }
}

/// Keeps every log entry on one line: control characters in the message and the metadata
/// (a file name with a newline, an escape sequence) are written escaped (`\n`, `\u{1B}`).
struct OneLineLogHandler: LogHandler {
    private var inner: StreamLogHandler

    init(_ inner: StreamLogHandler) { self.inner = inner }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: event.message.description.escapingControlCharacters)
        event.metadata = event.metadata?.mapValues(Self.escaped)
        var inner = inner
        inner.metadata = inner.metadata.mapValues(Self.escaped)
        inner.log(event: event)
    }

    static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case let .string(s): .string(s.escapingControlCharacters)
        case let .stringConvertible(c): .string(c.description.escapingControlCharacters)
        case let .array(a): .array(a.map(escaped))
        case let .dictionary(d): .dictionary(d.mapValues(escaped))
        }
    }
}
