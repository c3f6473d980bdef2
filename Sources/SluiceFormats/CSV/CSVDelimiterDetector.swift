/// Chooses the delimiter of a CSV file among `;`, tab and `,` from its first records.
///
/// Each candidate splits the first records (up to 50, within the first 64 KiB) with the full
/// quoting rules, so delimiters inside quoted fields do not count. Then:
/// 1. A candidate is *consistent* when every sampled record has the same number of fields,
///    more than one. The consistent candidate with the most fields wins; ties go to `;`, then
///    tab, then `,` (a French `Article;1,50` line splits two ways, and `;` is the right one).
/// 2. Otherwise the candidate that splits the first record (the header) into several fields
///    and agrees with it on the most records wins.
/// 3. Otherwise (a one-column file) the candidate that occurs least is chosen, so the single
///    column is not split by a stray `,` in a value.
enum CSVDelimiterDetector {
    static let sampleByteLimit = 64 * 1024
    static let sampleRecordLimit = 50

    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, contentStart: Int, encoding: CSVEncoding) -> CSVDelimiter {
        let end = min(bytes.count, contentStart + sampleByteLimit)
        let truncated = end < bytes.count
        var samples: [(delimiter: CSVDelimiter, counts: [Int])] = []
        for candidate in CSVDelimiter.detectable {
            var tokenizer = CSVTokenizer(
                delimiter: candidate.byte, encoding: encoding, skipEmptyLines: true, source: nil, contentStart: contentStart)
            var unused: [String] = []
            var counts: [Int] = []
            while counts.count < sampleRecordLimit {
                guard let record = try? tokenizer.nextRecord(bytes, end: end, into: &unused, makeStrings: false) else { break }
                counts.append(record.count)
            }
            // The sample may cut the last record short.
            if truncated && tokenizer.position >= end && counts.count > 1 { counts.removeLast() }
            samples.append((candidate, counts))
        }

        // 1. Consistent candidates, widest first; `detectable` order breaks ties.
        var best: (delimiter: CSVDelimiter, width: Int)?
        for sample in samples {
            guard let width = sample.counts.first, width > 1, sample.counts.allSatisfy({ $0 == width }) else { continue }
            if best == nil || width > best!.width { best = (sample.delimiter, width) }
        }
        if let best { return best.delimiter }

        // 2. Agreement with a multi-field header.
        var agreeing: (delimiter: CSVDelimiter, matches: Int, width: Int)?
        for sample in samples {
            guard let width = sample.counts.first, width > 1 else { continue }
            let matches = sample.counts.filter { $0 == width }.count
            if let current = agreeing, (matches, width) <= (current.matches, current.width) { continue }
            agreeing = (sample.delimiter, matches, width)
        }
        if let agreeing { return agreeing.delimiter }

        // 3. One column: the candidate that splits least.
        var least: (delimiter: CSVDelimiter, total: Int)?
        for sample in samples {
            let total = sample.counts.reduce(0, +)
            if least == nil || total < least!.total { least = (sample.delimiter, total) }
        }
        return least?.delimiter ?? .comma
    }
}
