import Foundation

/// What one step needs besides its environment, the same for a run and for a plan.
struct StepSetting {
    var info: RunInfo
    var inputs: [RunInput]
    var inputFiles: [AttachedFile]
    var outputDirectory: String
    var effects: any EffectRecorder
    var states: any StepStateStore
    var connections: Connections
    var dryRun: Bool
    var timeZone: TimeZone
}
