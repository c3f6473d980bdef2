import Foundation
import SluiceFormats
import SluiceSteps

extension InspectCommand {
    /// The human form of `sluice inspect FILE.eml`.
    func printMessage(_ r: MessageInspector.Report) {
        print("\(file): message, \(r.parts) part\(r.parts == 1 ? "" : "s")\(r.truncated ? ", TRUNCATED" : "")")
        print("Subject:    \(shown(r.subject ?? "(none)"))")
        print("From:       \(shown(r.from ?? "(none)"))")
        if !r.to.isEmpty { print("To:         \(shown(r.to.joined(separator: ", ")))") }
        if !r.cc.isEmpty { print("Cc:         \(shown(r.cc.joined(separator: ", ")))") }
        print("Date:       \(shown(r.date ?? "(none)"))")
        print("Message-ID: \(shown(r.messageID ?? "(none)"))")
        print("Attachments: \(r.attachments.count)")
        for (i, a) in r.attachments.enumerated() {
            let original = a.originalName.map { "\"\(shown($0))\"" } ?? "(no name)"
            print("  \(i + 1). \(original) → stored as \(shown(a.safeName))\(a.inline ? " (inline)" : "")\(a.complete ? "" : " (INCOMPLETE: not stored)")")
            print("     \(a.contentType), \(a.size) bytes, sha256 \(a.sha256)")
            for d in a.defects { print("     defect: \(d.code): \(shown(d.message))") }
        }
        if !r.defects.isEmpty {
            print("Defects:")
            for d in r.defects { print("  \(d.place.isEmpty ? "message" : d.place): \(d.code): \(shown(d.message))") }
        }
    }

    /// Text made safe for a terminal: control and bidirectional-control characters shown as
    /// `\u{…}` escapes.
    private func shown(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                || v == 0x200E || v == 0x200F || v == 0x061C {
                out += "\\u{\(String(v, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}

extension MIMEError: LocalizedError {
    public var errorDescription: String? { description }
}
