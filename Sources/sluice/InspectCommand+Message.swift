import Foundation
import SluiceCore
import SluiceFormats
import SluiceSteps

extension InspectCommand {
    /// Text made safe for a terminal: control and bidirectional-control characters escaped.
    private func escaped(_ text: String) -> String { text.escapingControlCharacters }

    /// The human form of `sluice inspect FILE.eml`.
    func printMessage(_ r: MessageInspector.Report) {
        print("\(file): message, \(r.parts) part\(r.parts == 1 ? "" : "s")\(r.truncated ? ", TRUNCATED" : "")")
        print("Subject:    \(escaped(r.subject ?? "(none)"))")
        print("From:       \(escaped(r.from ?? "(none)"))")
        if !r.to.isEmpty { print("To:         \(escaped(r.to.joined(separator: ", ")))") }
        if !r.cc.isEmpty { print("Cc:         \(escaped(r.cc.joined(separator: ", ")))") }
        print("Date:       \(escaped(r.date ?? "(none)"))")
        print("Message-ID: \(escaped(r.messageID ?? "(none)"))")
        print("Attachments: \(r.attachments.count)")
        for (i, a) in r.attachments.enumerated() {
            let original = a.originalName.map { "\"\(escaped($0))\"" } ?? "(no name)"
            print("  \(i + 1). \(original) → stored as \(escaped(a.safeName))\(a.inline ? " (inline)" : "")\(a.complete ? "" : " (INCOMPLETE: not stored)")")
            print("     \(a.contentType), \(a.size) bytes, sha256 \(a.sha256)")
            for d in a.defects { print("     defect: \(d.code): \(escaped(d.message))") }
        }
        if !r.defects.isEmpty {
            print("Defects:")
            for d in r.defects { print("  \(d.place.isEmpty ? "message" : d.place): \(d.code): \(escaped(d.message))") }
        }
    }
}

/// Any format error (a message file that cannot be read, too) prints as its compiler-style description.
extension FormatError: LocalizedError {
    public var errorDescription: String? { description }
}
