import Foundation

/// Whether a stream takes colour, and how to paint text for it.
///
/// Colour only on a terminal: never when the stream is a file or a pipe, when `NO_COLOR` is
/// set to anything but the empty string (https://no-color.org), or when `TERM` is `dumb`.
public struct TerminalStyle: Sendable {
    public enum Colour: String, Sendable {
        case red = "31", green = "32", yellow = "33", cyan = "36", dim = "2"
    }

    public let colours: Bool

    /// Colours on or off, whatever the stream.
    public init(colours: Bool) { self.colours = colours }

    /// The style for a file descriptor (`STDOUT_FILENO`, `STDERR_FILENO`) in this environment.
    public init(for descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) {
        colours = isatty(descriptor) == 1 && Self.environmentAllowsColour(environment)
    }

    /// False when `NO_COLOR` is set (not empty) or `TERM` is `dumb`.
    public static func environmentAllowsColour(_ environment: [String: String]) -> Bool {
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// `text` in `colour` when colours are on, else as it is.
    public func paint(_ text: String, _ colour: Colour) -> String {
        colours ? "\u{1B}[\(colour.rawValue)m" + text + "\u{1B}[0m" : text
    }

    /// A run status mark (`✔`, `✗`, `=`, `⏸`, `…`) in the colour of its status.
    public func mark(_ mark: String, status: String) -> String {
        switch status {
        case "succeeded": paint(mark, .green)
        case "failed": paint(mark, .red)
        case "waiting": paint(mark, .yellow)
        case "duplicate": paint(mark, .cyan)
        default: mark
        }
    }
}
