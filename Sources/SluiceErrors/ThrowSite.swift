/// Where in Sluice's own source an error was thrown, for developers:
/// `SluiceFormats/CSVTokenizer.swift:88` (`#fileID` names the module and the file). Never part of what a user reads.
public struct ThrowSite: Sendable, Hashable, CustomStringConvertible {
    /// `#fileID` of the throwing file (`Module/File.swift`).
    public var fileID: String
    /// `#line` of the throw.
    public var line: Int

    public init(fileID: String, line: Int) {
        self.fileID = fileID
        self.line = line
    }

    public var description: String { "\(fileID):\(line)" }
}
