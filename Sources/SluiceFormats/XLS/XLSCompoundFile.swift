/// The one stream FreeXL reads, the workbook (`Workbook`, or `Book` in BIFF5), taken out of the
/// OLE2 compound file so its BIFF records can be checked before FreeXL parses them.
///
/// Only what reaching that stream needs: the header, the sector allocation table (with its
/// DIFAT extension), the directory, and the mini-stream for a workbook under the 4,096-byte
/// cut-off. Every sector number and chain is checked against the file, so a damaged table ends
/// in an ``XLSXError``, never in a read outside the file or an endless chain.
struct XLSCompoundFile {
    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let freeSector: UInt32 = 0xFFFF_FFFF

    let file: ReadableFile
    let sectorSize: Int
    let fat: [UInt32]
    let header: [UInt8]

    static func damaged(_ what: String) -> XLSXError {
        XLSXError(.corrupt, "the .xls workbook is damaged: \(what)")
    }

    init(_ file: ReadableFile) throws {
        self.file = file
        header = try file.readBytes(count: 512, at: 0)
        let shift = Int(header.uint16(at: 0x1E))
        guard shift == 9 || shift == 12 else { throw Self.damaged("its compound-file header gives a sector size of 2^\(shift) bytes") }
        sectorSize = 1 << shift
        let sectorCount = Int((file.size + UInt64(sectorSize) - 1) / UInt64(sectorSize))
        // FAT sector numbers: 109 in the header, then the DIFAT chain.
        var fatSectors: [UInt32] = []
        for i in 0..<109 {
            let s = header.uint32(at: 0x4C + 4 * i)
            if s != Self.freeSector { fatSectors.append(s) }
        }
        var difat = header.uint32(at: 0x44)
        var steps = 0
        while difat != Self.endOfChain && difat != Self.freeSector {
            steps += 1
            guard steps <= sectorCount else { throw Self.damaged("its DIFAT chain loops") }
            let block = try Self.sector(difat, of: file, size: sectorSize)
            for i in 0..<(sectorSize / 4 - 1) {
                let s = block.uint32(at: 4 * i)
                if s != Self.freeSector { fatSectors.append(s) }
            }
            difat = block.uint32(at: sectorSize - 4)
        }
        guard fatSectors.count <= sectorCount else { throw Self.damaged("it lists more allocation sectors than the file holds") }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatSectors.count * sectorSize / 4)
        for s in fatSectors {
            let block = try Self.sector(s, of: file, size: sectorSize)
            for i in 0..<(sectorSize / 4) { fat.append(block.uint32(at: 4 * i)) }
        }
        self.fat = fat
    }

    private static func sector(_ n: UInt32, of file: ReadableFile, size: Int) throws -> [UInt8] {
        let offset = (UInt64(n) + 1) * UInt64(size)
        guard offset + UInt64(size) <= file.size else {
            throw XLSXError(.truncated, "the .xls file is cut short: its compound-file tables point past its end (it may still be being copied; try again once it is complete)")
        }
        return try file.readBytes(count: size, at: offset)
    }

    /// The sectors of the chain starting at `start`, joined, at most `limit` bytes.
    func chain(from start: UInt32, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var s = start
        var steps = 0
        while s != Self.endOfChain, bytes.count < limit {
            guard Int(s) < fat.count else { throw Self.damaged("a sector chain names sector \(s), beyond its allocation table") }
            steps += 1
            guard steps <= fat.count else { throw Self.damaged("a sector chain loops") }
            bytes += try Self.sector(s, of: file, size: sectorSize)
            s = fat[Int(s)]
        }
        return Array(bytes.prefix(limit))
    }

    /// The workbook stream's bytes.
    func workbookStream() throws -> [UInt8] {
        let directory = try chain(from: header.uint32(at: 0x30), limit: Int(min(file.size, 64 << 20)))
        var root: (start: UInt32, size: Int)?
        var workbook: (start: UInt32, size: Int)?
        var offset = 0
        while offset + 128 <= directory.count {
            let nameBytes = min(Int(directory.uint16(at: offset + 64)), 64)
            var name = ""
            var i = 0
            while i + 1 < nameBytes {
                let unit = directory.uint16(at: offset + i)
                if unit == 0 { break }
                name.unicodeScalars.append(Unicode.Scalar(unit) ?? "?")
                i += 2
            }
            let type = directory[offset + 66]
            let entry = (start: directory.uint32(at: offset + 116), size: Int(directory.uint32(at: offset + 120)))
            if type == 5, root == nil { root = entry }
            if type == 2, workbook == nil, name == "Workbook" || name == "Book" { workbook = entry }
            offset += 128
        }
        guard let workbook else {
            throw XLSXError(.notSpreadsheet, "this OLE2 compound file holds no Excel workbook (it may be a Word or PowerPoint 97-2003 document renamed .xls)")
        }
        guard UInt64(workbook.size) <= file.size else {
            throw XLSXError(.truncated, "the .xls file is cut short: its workbook stream is \(workbook.size) bytes, more than the whole file (it may still be being copied; try again once it is complete)")
        }
        let cutoff = Int(header.uint32(at: 0x38))
        if workbook.size >= cutoff {
            let bytes = try chain(from: workbook.start, limit: workbook.size)
            guard bytes.count == workbook.size else { throw Self.damaged("its workbook stream's sectors end before its declared size") }
            return bytes
        }
        // A small workbook lives in the mini-stream: 64-byte sectors inside the root entry's stream.
        guard let root else { throw Self.damaged("its compound file has no root entry") }
        let container = try chain(from: root.start, limit: min(root.size, Int(file.size)))
        let miniTable = try chain(from: header.uint32(at: 0x3C), limit: Int(file.size))
        let miniSize = 1 << Int(min(header.uint16(at: 0x20), 12))
        var bytes: [UInt8] = []
        var s = workbook.start
        var steps = 0
        while s != Self.endOfChain, bytes.count < workbook.size {
            let at = Int(s) * miniSize
            guard Int(s) * 4 + 4 <= miniTable.count, at + miniSize <= container.count else {
                throw Self.damaged("its mini-stream chain names a sector beyond the mini-stream")
            }
            steps += 1
            guard steps <= miniTable.count / 4 else { throw Self.damaged("its mini-stream chain loops") }
            bytes += container[at..<(at + miniSize)]
            s = miniTable.uint32(at: Int(s) * 4)
        }
        guard bytes.count >= workbook.size else { throw Self.damaged("its workbook stream's mini-sectors end before its declared size") }
        return Array(bytes.prefix(workbook.size))
    }
}
