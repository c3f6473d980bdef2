import Foundation
import SluiceCore
import Synchronization

/// Timestamped lines on standard output: runs finished, parked, resumed; notices. One line at
/// a time, whichever thread prints it.
final class DaemonPrinter: RunObserver {
    private let output = Mutex(())
    private let style = TerminalStyle(for: STDOUT_FILENO)
    private let zones: PipelineTimeZones

    init(workspace: Workspace) { zones = PipelineTimeZones(workspace: workspace) }

    func say(_ line: String) {
        output.withLock { _ in
            print(Date().iso8601 + " " + line)
            flushOutput()
        }
    }

    func runStarted(_ run: RunRecord) {
        let names = run.inputs.map(\.name).joined(separator: ",")
        say("… \(run.pipeline)  \(run.id)  \(names.isEmpty ? run.trigger : names.escapingControlCharacters)  started")
    }
    func runFinished(_ run: RunRecord) { say(RunSummary(run, zones: zones).line(style)) }
    func notice(_ message: String) { say("· " + message.escapingControlCharacters) }
}
