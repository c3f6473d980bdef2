import ArgumentParser
import Foundation
import SluiceCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry run over what is in a pipeline's inbox now: files claimed, rows rejected, outputs and effects that would happen (none happen).")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The pipeline.")
    var pipeline: String

    @Flag(name: .long, help: "Print the plan as JSON.")
    var json = false

    func run() throws {
        let (runner, lock) = try options.runner()
        let plan = try withExtendedLifetime(lock) { try runner.plan(pipeline: pipeline) }
        if json { try printJSON(plan); return }
        if plan.files.isEmpty { print("\(pipeline): no ready file in inbox/\(pipeline)/") }
        for f in plan.files {
            print("\(f.file.escapingControlCharacters)  (\(f.disposition))")
            for s in f.steps {
                var line = "  \(s.step)"
                if s.skipped { line += "  skipped (when: false)" }
                if let r = s.rows { line += "  \(r) rows" }
                if let r = s.rejected, r > 0 { line += "  \(r) rejected" }
                print(line)
            }
            for o in f.outputs { print("  would write outbox/\(pipeline)/\(o)") }
            for e in f.effects { print("  \(e)") }
            if let e = f.error { print("  would fail: \(e.escapingControlCharacters)") }
        }
        for s in plan.skipped { print("· \(s)".escapingControlCharacters) }
        print("nothing was claimed, written or sent")
    }
}
