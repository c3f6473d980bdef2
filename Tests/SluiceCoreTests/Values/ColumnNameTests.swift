import Foundation
@testable import SluiceCore
import Testing

/// Column names are NFC wherever they come from: a Mac's decomposed header and a Windows or
/// manifest precomposed one are the same bytes once read.
@Suite struct ColumnNameTests {
    static let decomposed = "Quantite\u{0301}"   // e + combining acute accent, as typed on a Mac
    static let precomposed = "Quantit\u{00E9}"

    @Test func columnsHoldTheirNameInNFC() throws {
        var c = Column(Self.decomposed, .integer)
        #expect(Array(c.name.unicodeScalars) == Array(Self.precomposed.unicodeScalars))
        c.name = "De\u{0301}signation"
        #expect(Array(c.name.utf8) == Array("D\u{00E9}signation".utf8))
        let decoded = try JSONDecoder().decode(Column.self, from: Data(#"{"name":"Quantite\u0301","type":"integer"}"#.utf8))
        #expect(Array(decoded.name.utf8) == Array(Self.precomposed.utf8) && decoded.type == .integer)
        #expect(ColumnName.normalized("Montant") == "Montant")
    }

    @Test func aDatasetFindsAColumnHoweverItsNameIsWritten() {
        let d = Dataset(columns: [Column(Self.decomposed, .integer)], rows: [[.integer(3)]])
        #expect(d.columnIndex(Self.precomposed) == 0 && d.columnIndex(Self.decomposed) == 0)
        #expect(d.columnNames.map { Array($0.utf8) } == [Array(Self.precomposed.utf8)])
        #expect(Schema.known(d.columns).type(of: Self.precomposed) == .integer)
    }
}
