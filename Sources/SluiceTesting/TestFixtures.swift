import Foundation

/// Locates the fixtures the tests read: the shared corpora beside the repository
/// (`<repo>/../shared/fixtures/<corpus>`) and the repository's own (`<repo>/Tests/Fixtures/<folder>`).
///
/// The one place that knows where they are: every test target asks here instead of walking up
/// from its own `#filePath`.
public enum TestFixtures {
    /// The repository's root folder (this file is `Sources/SluiceTesting/TestFixtures.swift`).
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A shared corpus, `../shared/fixtures/<corpus>` from the repository (`xlsx`, `eml`, …).
    public static func shared(_ corpus: String) -> URL {
        repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures/\(corpus)")
    }

    /// A folder of the repository's own fixtures, `Tests/Fixtures/<folder>`.
    public static func local(_ folder: String) -> URL {
        repository.appendingPathComponent("Tests/Fixtures/\(folder)")
    }

    /// Names (without the extension) of the files in `folder` that end with `.<fileExtension>`, sorted.
    public static func names(in folder: URL, withExtension fileExtension: String) -> [String] {
        let suffix = "." + fileExtension
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }
}
