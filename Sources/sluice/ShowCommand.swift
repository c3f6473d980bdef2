import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Stages, timings, row counts, rejects, outputs, effects and errors of one run.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The run id (a unique prefix is enough).")
    var runID: String

    @Flag(name: .long, help: "Print the run document (the same as archive/.../run.json).")
    var json = false

    func run() throws {
        let ledger = try options.ledger()
        let r = try options.findRun(runID, in: ledger)
        var doc = try RunDocument(r, ledger: ledger)
        let reprocessedBy = try ledger.reprocessings(of: r).map(\.id)
        if !reprocessedBy.isEmpty { doc.reprocessedBy = reprocessedBy }
        if json { try printJSON(doc); return }
        print("run       \(doc.run)")
        print("pipeline  \(doc.pipeline)")
        print("status    \(doc.status)\(r.phase == .done ? "" : " (\(r.phase.rawValue); `sluice run` finishes it)")")
        print("trigger   \(doc.trigger)")
        print("created   \(doc.created)\(doc.finished.map { "   finished \($0)" } ?? "")")
        print("manifest  version \(doc.manifestVersion)")
        if r.status == .waiting, r.wakeAt != nil {
            let wake = PipelineTimeZones(workspace: options.workspace).describe(r)
            print(r.waitingFor == "retry" ? "waiting   attempt \((r.attempt ?? 1) + 1) at \(wake)" : "waiting   at a wait step until \(wake)")
        }
        if let x = doc.reprocessOf { print("reprocess of \(x)") }
        for x in reprocessedBy { print("reprocessed by \(x)") }
        if let x = doc.corrects { print("corrects  \(x) (same file name, new content)") }
        if let x = doc.duplicateOf { print("duplicate of \(x) (same content; not processed again)") }
        for i in doc.inputs {
            let sent = i.originalName.flatMap { $0 == i.name ? nil : "  (sent as \($0.debugDescription))" } ?? ""
            print("input     \(i.name.escapingControlCharacters)  \(i.size) bytes  sha256 \(i.sha256.prefix(16))…\(sent)")
        }
        if let a = r.archivePath { print("archive   \(a)/") }
        for s in doc.stages {
            print("stage     \(s.stage)  \(s.milliseconds) ms")
            for step in s.steps {
                if step.skipped { print("            \(step.id)  skipped (when: false)"); continue }
                var line = "            \(step.id)  \(step.milliseconds) ms"
                if let rows = step.rows { line += "  \(rows) rows" }
                for (k, v) in step.summary.sorted(by: { $0.key < $1.key }) { line += "  \(k)=\(v)" }
                print(line)
            }
        }
        for o in doc.outputs { print("output    \(o.path)  \(o.size) bytes") }
        for e in doc.effects { print("effect    \(e.step)  \(e.item)  \(e.state.rawValue)\(e.detail.map { "  \($0)" } ?? "")") }
        if let e = doc.error {
            for line in RunFailureText(e).lines { print(line) }
        }
    }
}
