import CZlib

/// gzip compression and gzip/zlib decompression of byte arrays, on the system zlib.
///
/// Decompression inflates in fixed-size chunks and stops as soon as the output would pass a
/// limit, so a small hostile input (a "decompression bomb") cannot make it allocate more than
/// the limit plus one chunk. Truncated, corrupt and foreign input fail with ``GzipError``.
///
/// ```swift
/// let packed = try Gzip.compress(Array("hello".utf8))
/// let bytes = try Gzip.decompress(packed, maxOutputBytes: 1 << 20)
/// ```
public enum Gzip {
    /// How much output one zlib call produces at most.
    private static let chunkSize = 64 << 10
    /// How much input is handed to zlib per call (its counters are 32-bit).
    private static let maxInputSlice = 1 << 30

    /// Compresses `bytes` with gzip framing (RFC 1952).
    /// - Parameters:
    ///   - bytes: The data; may be empty.
    ///   - level: zlib's compression level, `0` (store) to `9` (smallest), or `-1` for zlib's default.
    /// - Throws: ``GzipError/invalidLevel(_:)`` for a level outside `-1...9`; other ``GzipError``s
    ///   only if zlib itself fails (out of memory).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(GzipError) -> [UInt8] {
        guard (-1...9).contains(level) else { throw .invalidLevel(level) }
        let stream = ZStream()
        guard czlib_deflate_init_gzip(stream.pointer, level) == Z_OK else { throw .zlibFailure("deflate init") }
        defer { deflateEnd(stream.pointer) }

        let result = bytes.withUnsafeBufferPointer { input -> Result<[UInt8], GzipError> in
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            var offset = 0
            repeat {
                let take = min(input.count - offset, maxInputSlice)
                stream.pointer.pointee.next_in = take == 0 ? nil : UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                stream.pointer.pointee.avail_in = UInt32(take)
                offset += take
                let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
                var status: Int32
                repeat {
                    let produced: Int
                    (status, produced) = buffer.withUnsafeMutableBufferPointer { out in
                        stream.pointer.pointee.next_out = out.baseAddress
                        stream.pointer.pointee.avail_out = UInt32(out.count)
                        let status = deflate(stream.pointer, flush)
                        return (status, out.count - Int(stream.pointer.pointee.avail_out))
                    }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        return .failure(.zlibFailure("deflate status \(status)"))
                    }
                    output.append(contentsOf: buffer[..<produced])
                } while stream.pointer.pointee.avail_out == 0
                if flush == Z_FINISH, status != Z_STREAM_END { return .failure(.zlibFailure("deflate did not finish")) }
            } while offset < input.count
            return .success(output)
        }
        return try result.get()
    }

    /// Decompresses gzip (RFC 1952, including concatenated members) or zlib (RFC 1950) data.
    /// - Parameters:
    ///   - bytes: The compressed data.
    ///   - maxOutputBytes: The most decompressed bytes accepted; more fails with
    ///     ``GzipError/tooLarge(limit:)`` before the excess is allocated.
    /// - Throws: ``GzipError/truncated(_:)`` when the data ends early (including empty input),
    ///   ``GzipError/corrupt(_:)`` for bad headers, checksums, deflate data or trailing garbage,
    ///   ``GzipError/tooLarge(limit:)`` past the limit.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int = 64 << 20) throws(GzipError) -> [UInt8] {
        let limit = max(0, maxOutputBytes)
        let stream = ZStream()
        guard czlib_inflate_init_auto(stream.pointer) == Z_OK else { throw .zlibFailure("inflate init") }
        defer { inflateEnd(stream.pointer) }

        let result = bytes.withUnsafeBufferPointer { input -> Result<[UInt8], GzipError> in
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            var offset = 0
            while true {
                if stream.pointer.pointee.avail_in == 0, offset < input.count {
                    let take = min(input.count - offset, maxInputSlice)
                    stream.pointer.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                    stream.pointer.pointee.avail_in = UInt32(take)
                    offset += take
                }
                let (status, produced) = buffer.withUnsafeMutableBufferPointer { out in
                    stream.pointer.pointee.next_out = out.baseAddress
                    stream.pointer.pointee.avail_out = UInt32(out.count)
                    let status = inflate(stream.pointer, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.pointer.pointee.avail_out))
                }
                switch status {
                case Z_OK, Z_STREAM_END, Z_BUF_ERROR: break
                case Z_DATA_ERROR, Z_NEED_DICT: return .failure(.corrupt(stream.message))
                case Z_MEM_ERROR: return .failure(.zlibFailure("out of memory"))
                default: return .failure(.zlibFailure("inflate status \(status)"))
                }
                guard produced <= limit - output.count else { return .failure(.tooLarge(limit: limit)) }
                output.append(contentsOf: buffer[..<produced])

                let inputLeft = stream.pointer.pointee.avail_in > 0 || offset < input.count
                if status == Z_STREAM_END {
                    guard inputLeft else { return .success(output) }
                    // Another gzip member follows (or garbage, which the next call reports).
                    guard inflateReset(stream.pointer) == Z_OK else { return .failure(.zlibFailure("inflate reset")) }
                    continue
                }
                // No input left, room to spare, and no end yet: the data stops early.
                if !inputLeft, status == Z_BUF_ERROR || stream.pointer.pointee.avail_out > 0 {
                    return .failure(.truncated())
                }
            }
        }
        return try result.get()
    }
}

/// A heap-allocated `z_stream`: zlib keeps a pointer back to it, so it must never move.
private final class ZStream {
    let pointer: UnsafeMutablePointer<z_stream>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: z_stream())
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// zlib's last error message, if any.
    var message: String {
        pointer.pointee.msg.map { String(cString: $0) } ?? ""
    }
}

/// Compressing or decompressing with ``Gzip`` failed.
public struct GzipError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Hashable, Sendable {
        case invalidLevel = "invalid compression level"
        case truncated = "truncated compressed data"
        case corrupt = "corrupt compressed data"
        case tooLarge = "decompressed data too large"
        case zlibFailure = "zlib failure"
    }

    private let code: Code
    /// Extra detail, such as zlib's message or the limit.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The compression level is outside `-1...9`.
    public static func invalidLevel(_ level: Int32) -> Self { Self(.invalidLevel, "\(level)") }
    /// The input ended before the compressed stream did (this includes empty input).
    public static func truncated(_ detail: String = "") -> Self { Self(.truncated, detail) }
    /// The input is not gzip or zlib data, or its contents or checksums are wrong.
    public static func corrupt(_ detail: String = "") -> Self { Self(.corrupt, detail) }
    /// The output would exceed the caller's limit (a likely decompression bomb).
    public static func tooLarge(limit: Int) -> Self { Self(.tooLarge, "limit \(limit) bytes") }
    /// zlib could not run (out of memory, failed initialisation).
    public static func zlibFailure(_ detail: String = "") -> Self { Self(.zlibFailure, detail) }

    /// A detail-free name of the kind of failure.
    public var shortDescription: String { code.rawValue }

    /// Whether two errors are of the same kind, ignoring detail.
    public func isSameKind(as other: GzipError) -> Bool { code == other.code }

    /// The kind of failure and its detail.
    public var description: String { detail.isEmpty ? code.rawValue : "\(code.rawValue): \(detail)" }
}
