import ArgumentParser
import Foundation
import SluiceCore

/// A failure found while a command runs (not a mistake on the command line): printed alone
/// on standard error, without the usage, and the process exits with `code` (1 by default).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var code: Int32

    init(_ message: String, code: Int32 = 1) {
        description = message
        self.code = code
    }

    /// Exit codes besides 0, 1 and ArgumentParser's 64 (`EX_USAGE`).
    enum Code {
        /// `EX_TEMPFAIL`: another sluice process holds the workspace; try again later.
        static let workspaceBusy: Int32 = 75
    }

    /// Ends the process after `error` was thrown by a running command. `ExitCode`,
    /// `CleanExit` and ArgumentParser's own errors (its `help` command throws a help request)
    /// keep their meaning; any other error (even a `ValidationError` thrown this late) is a
    /// runtime failure: its message on standard error, exit 1 (or the failure's own code).
    static func exit(with error: any Error) -> Never {
        let fromArgumentParser = String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") && !(error is ValidationError)
        if fromArgumentParser || error is ExitCode || error is CleanExit { Sluice.exit(withError: error) }
        var code: Int32 = 1
        let message: String
        switch error {
        case let failure as CommandFailure:
            message = failure.description
            code = failure.code
        case let busy as WorkspaceLock.Busy:
            message = busy.description
            code = Code.workspaceBusy
        case let validation as ValidationError:
            message = validation.message
        case let localized as any LocalizedError:
            message = localized.errorDescription ?? String(describing: error)
        default:
            message = String(describing: error)
        }
        flushOutput()
        printError(message)
        Foundation.exit(code)
    }
}

/// Writes `message` to standard error as `Error: message` (the prefix in red on a terminal
/// that takes colour), as ArgumentParser writes its own errors.
func printError(_ message: String) {
    let style = TerminalStyle(for: STDERR_FILENO)
    FileHandle.standardError.write(Data((style.paint("Error:", .red) + " " + message + "\n").utf8))
}

/// Writes a diagnostic line to standard error (what went wrong, not what the command produces).
func printDiagnostic(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
