import Foundation

/// Fresh folders under the system's temporary folder, one per test, so tests running in
/// parallel never share a file.
public enum TemporaryFolder {
    /// Makes and returns a new empty folder whose name starts with `sluice-<label>-`.
    public static func make(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "sluice-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A path for a file of that name in a new folder (the folder exists, the file does not).
    public static func file(_ name: String, label: String = "file") throws -> String {
        try make(label) + "/" + name
    }
}
