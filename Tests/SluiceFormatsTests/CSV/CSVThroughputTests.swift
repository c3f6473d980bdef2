import Testing
@testable import SluiceFormats

/// A benchmark-shaped test on small data: it checks results, never timings. Real throughput
/// is measured in release builds outside the test suite.
@Suite("CSV throughput shape")
struct CSVThroughputTests {
    @Test func readsManySimpleRecords() throws {
        var text = "id;date;produit;quantite;montant\n"
        for n in 0..<20_000 { text += "\(n);2024-01-\(n % 28 + 1);Produit \(n % 97);\(n % 13);\(n % 1000),\(n % 100)\n" }
        let reader = try CSVReader(bytes: Array(text.utf8))
        var iterator = reader.makeIterator()
        var count = 0
        var quantity = 0
        while let record = try iterator.next() {
            count += 1
            quantity += Int(record.fields[3]) ?? 0
        }
        #expect(count == 20_000)
        #expect(quantity == (0..<20_000).reduce(0) { $0 + $1 % 13 })
    }
}
