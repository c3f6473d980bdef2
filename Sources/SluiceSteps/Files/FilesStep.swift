import Foundation
import SluiceCore

/// `files`: the run's claimed input files, as they are.
public struct FilesStep: Step {
    public struct Configuration: Decodable, Sendable {
        /// Only files whose names match one of these patterns (`*.pdf`).
        public var pattern: [String]?
    }

    public static let kind = "files"
    public static let stages: Set<StageName> = [.extract]
    public static let documentation = StepDocumentation(
        summary: "The run's input files as they are: one row per file (name, size, sha256), with the files attached for later steps.",
        fields: [.init("pattern", "list of globs", "Only files whose names match.")],
        example: """
        - files: { pattern: ["*.pdf"] }
          as: documents
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        context.output = .known([Column("name", .string), Column("size", .integer), Column("sha256", .string)])
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        var out = Dataset(columns: [Column("name", .string), Column("size", .integer), Column("sha256", .string)])
        for f in InputSelection.files(context, patterns: configuration.pattern) {
            let (sha, size) = try FileOperations.sha256(path: f.path)
            out.rows.append([.string(f.name), .integer(size), .string(sha)])
            out.files.append(f)
        }
        return StepOutput(dataset: out)
    }
}

/// Which input files an extract step reads.
enum InputSelection {
    static func files(_ context: StepContext, patterns: [String]?, extensions: [String] = []) -> [AttachedFile] {
        context.inputFiles.filter { f in
            if let patterns, !patterns.isEmpty { return patterns.contains { fnmatch($0, f.name, 0) == 0 } }
            if extensions.isEmpty { return true }
            return extensions.contains { f.name.lowercased().hasSuffix("." + $0) }
        }
    }
}
