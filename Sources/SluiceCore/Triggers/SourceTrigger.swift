import Foundation

/// `source` — the pipeline's source steps (an `imap` step of the extract stage today; REST and
/// CMS sources next) bring items from outside, one run each. Written as the step, not under
/// `triggers:`; the daemon polls each pipeline's sources every poll interval, on the run
/// executor, under the pipeline's limits. `sluice run` looks at them once.
public struct SourceTrigger: WatchedTrigger {
    /// The pipeline's source steps, read from its built stages.
    public struct Configuration: Decodable, Sendable, Hashable {
        /// One source step: its id (`extract[0].imap`) and how often it is looked at.
        public struct SourceStep: Sendable, Hashable {
            public var id: String
            public var pollInterval: TimeInterval

            public init(id: String, pollInterval: TimeInterval) {
                self.id = id
                self.pollInterval = pollInterval
            }
        }

        public var steps: [SourceStep]

        public init(steps: [SourceStep]) { self.steps = steps }

        /// Never decoded: a source is written as a step.
        public init(from decoder: any Decoder) throws {
            throw ManifestDecodingError("a source is written as a step of the extract stage (`- imap: ...`), not under 'triggers'",
                                        at: (decoder as? any LocatedDecoder)?.location)
        }

        /// How often the pipeline's sources are looked at: the shortest of the steps' intervals, at least a second.
        public var pollInterval: TimeInterval { max(1, steps.map(\.pollInterval).min() ?? 60) }
    }

    public static let key = "source"
    public static let writtenUnderTriggers = false
    public static let documentation = TriggerDocumentation(
        summary: "A source step in the extract stage (`imap` today) brings items from outside: each new item (a message) becomes one run, recorded before the item is acknowledged where it came from. Written as the step, not under `triggers:`; `sluice serve` looks at the pipeline's sources every `poll` of the step, `sluice run` once. A paused pipeline's sources are left alone.",
        fields: [
            .init("poll", "duration (on the step)", default: "1m", "How often `sluice serve` looks at the source."),
        ],
        example: """
        extract:
          - imap:
              connection: orders-mail
              attachments: ["*.xlsx"]
              poll: 5m
        """)

    public static func configuration(of stages: [Stage]) -> Configuration? {
        let steps = stages.flatMap(\.steps).compactMap { step in
            (step.step as? any InputSource).map { Configuration.SourceStep(id: step.id, pollInterval: $0.pollInterval) }
        }
        return steps.isEmpty ? nil : Configuration(steps: steps)
    }

    /// When the pipeline's sources are next looked at.
    public struct Watch: Sendable {
        var next: Date
    }

    /// A new or changed pipeline's sources are looked at at once.
    public static func watch(_ configuration: Configuration, of manifest: Manifest, lastRun: Date?, look: TriggerLook) -> Watch {
        Watch(next: look.now)
    }

    public static func keep(_ watch: inout Watch, for configuration: Configuration, of manifest: Manifest, look: TriggerLook) -> Bool { false }

    /// A poll when its time came (or the pipeline resumed); the next one a poll interval later.
    public static func due(_ configuration: Configuration, watch: inout Watch, of manifest: Manifest, look: TriggerLook) -> [TriggerWork] {
        guard watch.next <= look.now || look.resumed else { return [] }
        watch.next = look.now + configuration.pollInterval
        return look.paused ? [] : [.collectSources]
    }

    public static func nextLook(_ watch: Watch) -> Date? { watch.next }
}
