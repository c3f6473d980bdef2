import Foundation
import Testing
@testable import SluiceFormats

@Suite("AttachmentName")
struct AttachmentNameTests {
    /// What every stored name must be.
    static func isSafe(_ name: String) -> Bool {
        let forbidden = name.unicodeScalars.contains { s in
            s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                || (0x2066...0x2069).contains(s.value) || s.value == 0x200E || s.value == 0x200F
                || s == "/" || s == "\\"
        }
        return !name.isEmpty && !forbidden && name.utf8.count <= 255
            && !name.hasPrefix(".") && !name.hasPrefix("-") && !name.hasSuffix(".") && !name.hasSuffix(" ")
            && !AttachmentName.isReservedOnWindows(name)
            && name == name.precomposedStringWithCanonicalMapping
    }

    @Test(arguments: [
        ("../../../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.dll", "evil.dll"),
        ("report.xlsx", "report.xlsx"),
        ("a\0b\u{7}c.txt", "abc.txt"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("\u{2066}x\u{2069}\u{200E}\u{200F}.pdf", "x.pdf"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("LPT9", "_LPT9"),
        ("COM10.txt", "COM10.txt"),
        ("file.txt. . .", "file.txt"),
        (".htaccess", "_htaccess"),
        ("-rf", "_rf"),
        ("what?<now>.txt", "what__now_.txt"),
        ("dir/", "dir"),
    ])
    func sanitises(_ original: String, _ safe: String) {
        #expect(AttachmentName.safe(original, index: 0, contentType: "application/octet-stream") == safe)
        #expect(Self.isSafe(safe))
    }

    @Test func degenerateNamesBecomeNumberedWithAGuessedExtension() {
        for original in [nil, "", " ", ".", "..", "/", "\u{202E}", "...."] as [String?] {
            #expect(AttachmentName.safe(original, index: 3, contentType: "application/pdf") == "attachment-4.pdf")
        }
        #expect(AttachmentName.safe("", index: 0, contentType: "application/octet-stream") == "attachment-1")
        #expect(AttachmentName.safe(nil, index: 1, contentType: "image/jpeg") == "attachment-2.jpg")
    }

    @Test func normalisesToNFC() {
        let decomposed = "cie\u{0308}le.txt"  // e + combining diaeresis
        #expect(AttachmentName.safe(decomposed, index: 0, contentType: "text/plain") == "ci\u{00EB}le.txt")
    }

    @Test func capsBelowNameMaxKeepingTheExtension() {
        // 240 bytes: the runner stores an input as `.in.<name>`, which must stay under 255.
        let long = String(repeating: "é", count: 300) + ".xlsx"
        let safe = AttachmentName.safe(long, index: 0, contentType: "")
        #expect(safe.utf8.count <= AttachmentName.maxBytes && AttachmentName.maxBytes + ".in.".utf8.count + "-99".utf8.count < 255)
        #expect(safe.hasSuffix("é.xlsx"))
        #expect(safe.utf8.count >= AttachmentName.maxBytes - 1)
    }

    @Test func namesAreUniqueCaseInsensitively() {
        var set = AttachmentNameSet()
        #expect(set.claim("report.xlsx") == "report.xlsx")
        #expect(set.claim("report.xlsx") == "report-2.xlsx")
        #expect(set.claim("Report.XLSX") == "Report-3.XLSX")
        #expect(set.claim("report-2.xlsx") == "report-2-2.xlsx")
        #expect(set.claim("README") == "README")
        #expect(set.claim("readme") == "readme-2")
        let long = String(repeating: "a", count: 250) + ".txt"
        #expect(set.claim(long) == long)
        let second = set.claim(long)
        #expect(second.utf8.count <= 255 && second.hasSuffix("-2.txt"))
    }
}
