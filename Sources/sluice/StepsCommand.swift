import ArgumentParser
import SluiceCore
import SluiceSteps

struct StepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps", abstract: "Documentation of every step kind, generated from the code.")

    @Argument(help: "One step kind (default: all).")
    var kind: String?

    @Flag(name: .long, help: "Markdown, as in docs/steps.md.")
    var markdown = false

    func run() throws {
        let registry = StepKinds.registry
        if let kind {
            let found = registry.all(kind)
            guard !found.isEmpty else {
                throw CommandFailure("unknown step kind '\(kind)'\(Suggestion.didYouMean(kind, among: registry.kinds)); known: \(registry.kinds.joined(separator: ", "))")
            }
            for r in found { print(StepDocumentationPrinter.text(r, markdown: markdown)) }
            return
        }
        for stage in StageName.allCases {
            if markdown { print("## \(stage.rawValue.prefix(1).uppercased() + stage.rawValue.dropFirst()) steps\n") } else { print("\(stage.rawValue.uppercased())\n") }
            for r in registry.registrations where r.stages.contains(stage) && r.stages.sorted().first == stage {
                print(StepDocumentationPrinter.text(r, markdown: markdown))
                print("")
            }
        }
    }
}
