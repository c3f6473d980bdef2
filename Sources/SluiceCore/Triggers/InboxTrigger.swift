import Foundation
import Yams

/// `inbox:` — a file dropped into `inbox/<pipeline>/` starts a run once it has settled.
/// The daemon watches the folder; `sluice run` looks at it once.
public struct InboxTrigger: WatchedTrigger {
    public struct Configuration: Decodable, Sendable, Hashable {
        /// How long a file's size and modification time stay unchanged before it is claimed
        /// unless the manifest says otherwise.
        public static let defaultSettle = DurationValue.seconds(2)

        /// How long a file's size and modification time must stay unchanged before it is claimed.
        public var settle: DurationValue
        /// File name patterns (`*.csv`); empty means every file that is not hidden or temporary.
        public var patterns: [String]

        public init(settle: DurationValue = Self.defaultSettle, patterns: [String] = []) {
            self.settle = settle
            self.patterns = patterns
        }

        enum CodingKeys: String, CodingKey { case settle, pattern }

        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), (try? single.decode(Bool.self)) == true {
                self.init()
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(settle: try c.decodeIfPresent(DurationValue.self, forKey: .settle) ?? Self.defaultSettle,
                      patterns: try c.decodeIfPresent([String].self, forKey: .pattern) ?? [])
        }
    }

    public static let key = "inbox"
    public static let documentation = TriggerDocumentation(
        summary: "A file dropped into `inbox/<pipeline>/` starts a run once its size and modification time have not changed for the settle time. A manifest without `triggers:` has this trigger (and `manual`). `inbox: true` takes the defaults; `inbox: false` turns it off.",
        fields: [
            .init("settle", "duration", default: "2s", "How long a file must stay unchanged before it is claimed. A file moved in by rename(2) is ready at once."),
            .init("pattern", "list of file name patterns", default: "every file", "Only files whose name matches one of these (`*.csv`); hidden and temporary files (`.*`, `*.tmp`, `*.part`, `~$*`) never are."),
        ],
        example: """
        triggers:
          inbox: { settle: 5s, pattern: ["*.csv", "*.xlsx"] }
        """)

    /// An inbox remembers nothing: the daemon wakes it when its folder changed, a rescan or a
    /// settle time came, or the pipeline resumed.
    public struct Watch: Sendable {}

    public static func watch(_ configuration: Configuration, of manifest: Manifest, lastRun: Date?, look: TriggerLook) -> Watch { Watch() }

    public static func due(_ configuration: Configuration, watch: inout Watch, of manifest: Manifest, look: TriggerLook) -> [TriggerWork] {
        look.woken && !look.paused ? [.scanInbox] : []
    }

    public static func nextLook(_ watch: Watch) -> Date? { nil }

    public static func defaultConfiguration(triggersWritten: Bool) -> Configuration? {
        triggersWritten ? nil : Configuration()
    }

    public static func configuration(from input: TriggerInput, diagnostics: inout Diagnostics) -> Configuration? {
        if case let .scalar(s) = input.node, ["false", "no", "off"].contains(s.string) { return nil }
        do {
            return try input.decoder.decode(Configuration.self, from: input.node, context: "in trigger 'inbox'", diagnostics: &diagnostics)
        } catch {
            diagnostics.append(decodingDiagnostic(error, path: input.decoder.file))
            return nil
        }
    }
}
