import Testing
@testable import SluiceCore

@Suite struct DecimalNumberTests {
    @Test(arguments: [
        ("12.50", 1250, 2), ("-0.001", -1, 3), ("+7", 7, 0), ("1e3", 1000, 0), ("1.2E-2", 12, 3), ("0", 0, 0),
    ])
    func parses(text: String, significand: Int64, scale: Int16) throws {
        let d = try #require(DecimalNumber(parsing: text))
        #expect(d.significand == significand && d.scale == scale)
    }

    @Test(arguments: ["", "-", "1.2.3", "abc", "1,5", "12a", ".", "1e99999"])
    func refuses(text: String) {
        #expect(DecimalNumber(parsing: text) == nil)
    }

    @Test func keepsTheWrittenScaleButComparesByValue() throws {
        let a = try #require(DecimalNumber(parsing: "1.50"))
        let b = try #require(DecimalNumber(parsing: "1.5"))
        #expect(a.description == "1.50")
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(DecimalNumber(parsing: "-0.05")!.description == "-0.05")
        #expect(DecimalNumber(parsing: "2")! < DecimalNumber(parsing: "2.001")!)
    }

    @Test func arithmeticIsExact() throws {
        let p1 = DecimalNumber(parsing: "0.1")!, p2 = DecimalNumber(parsing: "0.2")!
        #expect(try DecimalNumber.add(p1, p2) == DecimalNumber(parsing: "0.3")!)
        #expect(try DecimalNumber.multiply(DecimalNumber(parsing: "19.99")!, DecimalNumber(3)).description == "59.97")
        #expect(try DecimalNumber.subtract(DecimalNumber(parsing: "10")!, DecimalNumber(parsing: "0.01")!).description == "9.99")
        #expect(try DecimalNumber.divide(DecimalNumber(10), DecimalNumber(4)).description == "2.5")
        #expect(try DecimalNumber.divide(DecimalNumber(2), DecimalNumber(3)).description == "0.666666666667")
        #expect(throws: DecimalNumber.ArithmeticError.self) { try DecimalNumber.divide(DecimalNumber(1), DecimalNumber(0)) }
    }

    @Test func roundsHalfEven() {
        #expect(DecimalNumber(parsing: "2.345")!.rounded(scale: 2).description == "2.34")
        #expect(DecimalNumber(parsing: "2.355")!.rounded(scale: 2).description == "2.36")
        #expect(DecimalNumber(parsing: "-2.5")!.rounded(scale: 0).description == "-2")
    }

    @Test func largeSumsKeepEveryDigitOrFail() throws {
        var sum = DecimalNumber(0)
        for _ in 0 ..< 1000 { sum = try DecimalNumber.add(sum, DecimalNumber(parsing: "99999999.99")!) }
        #expect(sum.description == "99999999990.00")
        #expect(throws: DecimalNumber.ArithmeticError.self) {
            try DecimalNumber.multiply(DecimalNumber(Int64.max), DecimalNumber(10))
        }
    }
}

@Suite struct LocalDateTests {
    @Test func roundTripsEveryDayOfFourCenturies() {
        var expected = (year: 1900, month: 1, day: 1)
        var d = LocalDate(year: 1900, month: 1, day: 1)!
        for _ in 0 ..< 146_097 {
            #expect(d.components == expected)
            d = d.adding(days: 1)
            expected.day += 1
            if expected.day > LocalDate.daysIn(month: expected.month, year: expected.year) {
                expected.day = 1
                expected.month += 1
                if expected.month > 12 { expected.month = 1; expected.year += 1 }
            }
        }
    }

    @Test func knownDays() {
        #expect(LocalDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(LocalDate(iso: "2026-11-21")!.weekday == 6) // a Saturday
        #expect(LocalDate(iso: "2026-02-29") == nil)
        #expect(LocalDate(iso: "2024-02-29")!.description == "2024-02-29")
        #expect(LocalDate(iso: "1969-12-31")!.daysSinceEpoch == -1)
    }

    @Test func dateTimes() {
        let t = LocalDateTime(iso: "2026-11-21T08:30:15.250")!
        #expect(t.hour == 8 && t.minute == 30 && t.second == 15 && t.millisecond == 250)
        #expect(t.description == "2026-11-21T08:30:15.250")
        #expect(LocalDateTime(iso: "2026-11-21 08:30")!.description == "2026-11-21T08:30:00")
        #expect(LocalDateTime(epochMilliseconds: t.epochMilliseconds) == t)
        #expect(LocalDateTime(iso: "2026-11-21T25:00") == nil)
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func incrementalUpdatesEqualOneShot() {
        let bytes = (0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var h = SHA256()
        var i = 0
        for chunk in [1, 63, 64, 65, 127, 1000, 8680] {
            h.update(Array(bytes[i ..< i + chunk]))
            i += chunk
        }
        #expect(SHA256.hexString(h.finalize()) == SHA256.hex(bytes))
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct DatasetCodecTests {
    @Test func roundTripsEveryValueKind() throws {
        let d = Dataset(
            columns: [Column("a", .string), Column("b", .integer), Column("c", .decimal), Column("d", .date), Column("e", .datetime), Column("f", .bool), Column("g", .any)],
            rows: [
                [.string("Crème brûlée"), .integer(-42), .decimal(DecimalNumber(parsing: "12.50")!), .date(LocalDate(iso: "2026-11-21")!),
                 .datetime(LocalDateTime(iso: "1969-12-31T23:59:59.999")!), .bool(true), .null],
                [.string(""), .integer(Int64.min), .decimal(DecimalNumber(parsing: "-0.000001")!), .date(LocalDate(iso: "0001-01-01")!),
                 .datetime(LocalDateTime(iso: "9999-12-31T00:00")!), .bool(false), .string("x")],
            ],
            files: [AttachedFile(name: "v.csv", path: "/tmp/v.csv")], properties: ["delimiter": ";"])
        let back = try DatasetCodec.decode(DatasetCodec.encode(d))
        #expect(back == d)
        #expect(back.rows[0][2].description == "12.50")
        #expect(throws: DatasetCodec.DecodingError.self) { try DatasetCodec.decode(Array(DatasetCodec.encode(d).dropLast(3))) }
    }
}

@Suite struct DatasetRowNumberTests {
    @Test func rowNumbersRoundTripAsRunsAndOlderEncodingsHaveNone() throws {
        var d = Dataset(columns: [Column("a", .integer)], rows: (0 ..< 6).map { [.integer(Int64($0))] }, rowNumbers: [2, 3, 4, 6, 7, 100])
        let bytes = DatasetCodec.encode(d)
        #expect(try DatasetCodec.decode(bytes) == d)
        // Three runs (2-4, 6-7, 100): a long file read in order costs a few bytes, not one per row.
        var long = Dataset(columns: [Column("a", .integer)], rows: Array(repeating: [.integer(1)], count: 10_000))
        let plain = DatasetCodec.encode(long).count
        long.rowNumbers = Array(2 ..< 10_002)
        #expect(DatasetCodec.encode(long).count - plain < 8)
        #expect(try DatasetCodec.decode(DatasetCodec.encode(long)).rowNumbers == long.rowNumbers)
        d.rowNumbers = nil
        #expect(try DatasetCodec.decode(DatasetCodec.encode(d)).rowNumbers == nil)
    }

    @Test func rowNumberFallsBackToThePosition() {
        let d = Dataset(columns: [Column("a", .integer)], rows: [[.integer(1)], [.integer(2)]], rowNumbers: [5, 9])
        #expect(d.rowNumber(0) == 5 && d.rowNumber(1) == 9)
        #expect(d.numbersOfRows([1]) == [9])
        #expect(Dataset(columns: [Column("a", .integer)], rows: [[.integer(1)]]).rowNumber(0) == 1)
        // A dataset whose rows outgrew its numbers still names every row.
        #expect(d.rowNumber(2) == 3)
    }
}
