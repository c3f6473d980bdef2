import Foundation

/// A control command refused (no such run or pipeline, a run in the wrong state): the message
/// is for the person who asked.
public struct DaemonControlError: Error, CustomStringConvertible, LocalizedError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
