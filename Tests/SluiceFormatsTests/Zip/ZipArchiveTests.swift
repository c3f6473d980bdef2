import Foundation
@testable import SluiceFormats
import Testing

@Suite("Zip reader and writer")
struct ZipArchiveTests {
    private func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-zip-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    private func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 59) + UInt8(ascii: "a")
        }
    }

    @Test("stored and deflated entries round-trip, with names normalised", arguments: [Int32(0), 1, 6, 9])
    func roundTrip(_ level: Int32) throws {
        let path = temporaryPath("a.zip")
        let big = pseudoRandomBytes(700_000, seed: 7)
        let writer = try ZipArchiveWriter(path: path)
        try writer.beginEntry(name: "empty.txt", level: level)
        try writer.beginEntry(name: "dir/big.bin", level: level)
        for chunk in stride(from: 0, to: big.count, by: 100_000) { try writer.write(Array(big[chunk..<min(chunk + 100_000, big.count)])) }
        try writer.beginEntry(name: "é.txt", level: level)
        try writer.write(Array("accent".utf8))
        try writer.finish()

        let archive = try ZipArchiveReader(path: path)
        #expect(archive.entries.map(\.name) == ["empty.txt", "dir/big.bin", "é.txt"])
        #expect(try archive.readEntry(named: "empty.txt").isEmpty)
        #expect(try archive.readEntry(named: "/dir/big.bin") == big)
        #expect(try archive.readEntry(named: "É.TXT".lowercased()) == Array("accent".utf8))
        #expect(archive.entry(named: "DIR/BIG.BIN") != nil)
        #expect(throws: ZipError.self) { try archive.readEntry(named: "missing") }
    }

    @Test("the writer is deterministic")
    func deterministic() throws {
        func make() throws -> Data {
            let path = temporaryPath("d.zip")
            let writer = try ZipArchiveWriter(path: path)
            try writer.beginEntry(name: "a.xml")
            try writer.write(Array(String(repeating: "<row/>", count: 1000).utf8))
            try writer.finish()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        #expect(try make() == make())
    }

    @Test("Python's zipfile reads what the writer writes")
    func pythonReads() throws {
        let path = temporaryPath("py.zip")
        let writer = try ZipArchiveWriter(path: path)
        try writer.beginEntry(name: "x/y.txt")
        try writer.write(Array(String(repeating: "hello ", count: 5000).utf8))
        try writer.finish()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.read('x/y.txt')))", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "30000")
    }

    @Test("zip64 archives written by Python read")
    func zip64() throws {
        let path = temporaryPath("z64.zip")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import zipfile,sys
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                with z.open('a.txt', 'w', force_zip64=True) as f: f.write(b'zip64 body' * 100)
                z.writestr('b.txt', b'plain')
            """, path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let archive = try ZipArchiveReader(path: path)
        #expect(try archive.readEntry(named: "a.txt") == Array(String(repeating: "zip64 body", count: 100).utf8))
        #expect(try archive.readEntry(named: "b.txt") == Array("plain".utf8))
    }

    @Test("entry and total caps stop inflation")
    func caps() throws {
        let path = temporaryPath("bomb.zip")
        let writer = try ZipArchiveWriter(path: path)
        for name in ["a", "b"] {
            try writer.beginEntry(name: name, level: 9)
            try writer.write([UInt8](repeating: 0, count: 1 << 20))
        }
        try writer.finish()
        let perEntry = try ZipArchiveReader(path: path, limits: .init(maxEntryBytes: 1000))
        #expect(throws: ZipError.self) { try perEntry.readEntry(named: "a") }
        let total = try ZipArchiveReader(path: path, limits: .init(maxTotalBytes: 1_500_000))
        _ = try total.readEntry(named: "a")
        let error = #expect(throws: ZipError.self) { try total.readEntry(named: "b") }
        #expect(error?.code == .limitExceeded)
    }

    @Test("a file that is not a zip, or has no central directory, is refused")
    func notZip() throws {
        let path = temporaryPath("n.zip")
        try Data(repeating: 0x41, count: 100).write(to: URL(fileURLWithPath: path))
        #expect((#expect(throws: ZipError.self) { try ZipArchiveReader(path: path) })?.code == .notAZip)
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: path))
        #expect((#expect(throws: ZipError.self) { try ZipArchiveReader(path: path) })?.code == .truncated)
    }
}
