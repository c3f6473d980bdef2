/// What the file tells before anything of it is parsed: its size.
enum XLSPreflight {
    /// Throws an ``XLSXError`` when the file is too large to read or too small to be a compound file.
    static func check(_ file: ReadableFile, limits: XLSLimits) throws {
        if file.size > limits.maxFileBytes {
            throw XLSXError(.limitExceeded, "the .xls file is \(file.size >> 20) MiB, more than the \(limits.maxFileBytes >> 20) MiB this reader accepts; save it as .xlsx, which is read as a stream")
        }
        if file.size < 512 {
            throw XLSXError(.truncated, "the .xls file is cut short (\(file.size) bytes, less than its 512-byte header): it may still be being copied; try again once it is complete")
        }
    }
}
