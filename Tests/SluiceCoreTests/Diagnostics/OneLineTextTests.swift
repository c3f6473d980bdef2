import Foundation
import Testing
@testable import SluiceCore

@Suite struct OneLineTextTests {
    @Test(arguments: [
        ("ventes.csv", "ventes.csv"),
        ("vente\nrouge.csv", "vente\\nrouge.csv"),
        ("a\r\tb", "a\\r\\tb"),
        ("\u{1B}[31mrouge", "\\u{1B}[31mrouge"),
        ("nul\u{0}", "nul\\u{0}"),
        ("c1\u{85}del\u{7F}", "c1\\u{85}del\\u{7F}"),
        ("txt.exe\u{202E}fdp.csv", "txt.exe\\u{202E}fdp.csv"),
        ("Quantité été ✔", "Quantité été ✔"),
    ])
    func escapesEveryControlCharacterAndNothingElse(text: String, shown: String) {
        #expect(text.escapingControlCharacters == shown)
        #expect(!shown.unicodeScalars.contains { $0.needsEscapeOnOneLine })
    }

    @Test func wallClockTextIsThePipelinesLocalMinute() throws {
        let zurich = try #require(TimeZone(identifier: "Europe/Zurich"))
        let winter = try #require(ISO8601DateFormatter().date(from: "2026-11-21T07:10:59Z"))
        let summer = try #require(ISO8601DateFormatter().date(from: "2026-07-01T06:00:00Z"))
        #expect(zurich.wallClockText(winter) == "2026-11-21 08:10 (Europe/Zurich)")
        #expect(zurich.wallClockText(summer) == "2026-07-01 08:00 (Europe/Zurich)")
    }
}
