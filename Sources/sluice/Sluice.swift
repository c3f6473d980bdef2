import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceSteps
import SluiceStore

@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A batch data-pipeline runner: inbox → checkpointed stages → outbox + archive.",
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, RunCommand.self, RunsCommand.self, ShowCommand.self, ReprocessCommand.self,
            PlanCommand.self, TriggerCommand.self, StepsCommand.self, TriggersCommand.self, InspectCommand.self, InitCommand.self, ScheduleCommand.self,
            ServeCommand.self, ReloadCommand.self, RetryCommand.self, CancelCommand.self, PauseCommand.self, ResumeCommand.self, EmitCommand.self, TemplateCommand.self,
            PruneCommand.self, APITokenCommand.self,
        ])

    /// Parses the command line, sets up logging (here and nowhere else), then runs the command.
    ///
    /// A mistake on the command line (an unknown option, a missing argument, a check of
    /// `validate()`) exits 64 with the usage; whatever fails once the command runs exits with
    /// its own code (1 unless it says otherwise), the message alone on standard error.
    static func main() async {
        let command: any ParsableCommand
        do { command = try await asyncParseAsRoot() } catch { exit(withError: error) }
        CommandLogging.bootstrap(verbose: WorkspaceOptions.of(command)?.verbose ?? false)
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch {
            CommandFailure.exit(with: error)
        }
    }
}

/// Flushes standard output (for the live progress line).
func flushOutput() { fflush(nil) }

/// Prints JSON to standard output with a final newline.
func printJSON(_ value: some Encodable) throws {
    FileHandle.standardOutput.write(try prettyJSON(value))
    print("")
}

extension StepError: LocalizedError {
    public var errorDescription: String? { description }
}
