import SluiceErrors

/// A schedule, a cron expression or a wait that cannot be read: the one error of
/// ``Schedule``, ``CronExpression`` and ``WaitSpec``.
///
/// `description` is the message alone: the text is a value in a manifest, and the manifest
/// loader, which knows the file, line and column, puts the message there.
public struct ScheduleError: UserFacingError, Equatable {
    /// What kind of problem this is. New codes may be added; match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case emptySchedule = "empty schedule", invalidCron = "invalid cron expression"
            case invalidPhrase = "invalid schedule phrase", invalidWait = "invalid wait"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// The schedule is empty or blank.
        public static let emptySchedule = Code(.emptySchedule)
        /// Five cron fields that cannot be read (a count, a value out of range, a bad step).
        public static let invalidCron = Code(.invalidCron)
        /// A schedule in words (English or French) that cannot be read.
        public static let invalidPhrase = Code(.invalidPhrase)
        /// A `wait` that is neither a duration nor `until` a time of day.
        public static let invalidWait = Code(.invalidWait)
    }

    public var code: Code
    /// What is wrong with the text and how to write it.
    public var message: String
    /// Empty: the manifest loader knows where the text is.
    public var place: InputPlace
    /// Always nil: schedules are read from text alone.
    public var cause: (any Error & Sendable)? { nil }
    public var thrownAt: ThrowSite

    public init(_ code: Code, _ message: String, place: InputPlace = InputPlace(), fileID: String = #fileID, sourceLine: Int = #line) {
        self.code = code
        self.message = message
        self.place = place
        self.thrownAt = ThrowSite(fileID: fileID, line: sourceLine)
    }

    public var description: String { message }

    /// Equal when the code, the message and the place are (not where it was thrown).
    public static func == (a: ScheduleError, b: ScheduleError) -> Bool {
        a.code == b.code && a.message == b.message && a.place == b.place
    }
}
