import Foundation
import SluiceCore

/// Progress on a terminal (one updating line), or one line per finished run when piped.
struct ProgressPrinter: RunObserver {
    let live: Bool
    let quiet: Bool
    let style: TerminalStyle
    let zones: PipelineTimeZones

    init(live: Bool, quiet: Bool, workspace: Workspace) {
        self.live = live
        self.quiet = quiet
        style = TerminalStyle(for: STDOUT_FILENO)
        zones = PipelineTimeZones(workspace: workspace)
    }

    func clear() { if live { print("\r\u{1B}[2K", terminator: "") } }

    func stageStarted(_ run: RunRecord, stage: StageName) {
        guard live else { return }
        clear()
        print("… \(run.pipeline)  \((run.inputs.first?.name ?? "-").escapingControlCharacters)  \(stage.rawValue)", terminator: "")
        flushOutput()
    }

    func stepFinished(_ run: RunRecord, step: String, rows: Int?) {
        guard live else { return }
        clear()
        print("… \(run.pipeline)  \((run.inputs.first?.name ?? "-").escapingControlCharacters)  \(step)\(rows.map { "  \($0) rows" } ?? "")", terminator: "")
        flushOutput()
    }

    func runFinished(_ run: RunRecord) {
        guard !quiet else { return }
        clear()
        print(RunSummary(run, zones: zones).line(style))
        flushOutput()
    }

    func notice(_ message: String) {
        guard !quiet else { return }
        clear()
        print("· " + message.escapingControlCharacters)
    }
}
