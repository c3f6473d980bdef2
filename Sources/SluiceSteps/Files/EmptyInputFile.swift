import Foundation
import SluiceCore

/// The first check of every reader of input files (the csv, json and xlsx extract steps and
/// `sluice inspect`): a file of 0 bytes is refused in the same words whatever its format, rather
/// than as a file with no columns or a damaged workbook.
enum EmptyInputFile {
    /// The message for a file with no bytes.
    static let message = "the file is empty (0 bytes)"

    /// Throws a `badInput` error naming `file` when it holds no bytes.
    static func refuse(_ file: AttachedFile) throws {
        var st = stat()
        guard stat(file.path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size == 0 else { return }
        throw StepError(.badInput, message, file: file.name,
                        hint: "it was probably saved or copied before it held anything; export it again and drop it once more, or `sluice reprocess` the run once the archived copy is fixed")
    }
}
