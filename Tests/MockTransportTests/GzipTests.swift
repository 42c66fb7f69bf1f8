import MockTransport
import Testing

/// gzip round trips, and failures on truncated, corrupt, foreign and oversized input.
@Suite("Gzip", .timeLimit(.minutes(1)))
struct GzipTests {
    @Test("14,000 bytes of repetitive text compress far smaller and decompress to the same bytes")
    func repetitiveRoundTrip() throws {
        let line = Array("The quick brown fox jumps over the lazy dog, again and again.\n".utf8)
        let text = Array((0..<(14_000 / line.count + 1)).flatMap { _ in line }.prefix(14_000))
        #expect(text.count == 14_000)

        let packed = try Gzip.compress(text)
        #expect(packed.count < text.count / 20)
        #expect(Array(packed.prefix(2)) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(packed) == text)
    }

    @Test("empty input compresses to a gzip stream that decompresses to nothing")
    func emptyRoundTrip() throws {
        let packed = try Gzip.compress([])
        #expect(Array(packed.prefix(2)) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(packed) == [])
    }

    @Test("64 KiB of random bytes survive a round trip", arguments: [Int32(-1), 0, 1, 6, 9])
    func randomRoundTrip(level: Int32) throws {
        var generator = SplitMix64(seed: 0x5EED)
        let bytes = (0..<(64 << 10)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }

        let packed = try Gzip.compress(bytes, level: level)
        #expect(Array(packed.prefix(2)) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(packed) == bytes)
    }

    @Test("zlib-framed data and concatenated gzip members decompress")
    func otherFramings() throws {
        let zlibHelloWorld: [UInt8] = [120, 156, 203, 72, 205, 201, 201, 87, 40, 207, 47, 202, 73, 1, 0, 26, 11, 4, 93]
        #expect(try Gzip.decompress(zlibHelloWorld) == Array("hello world".utf8))

        let members = try Gzip.compress(Array("one ".utf8)) + Gzip.compress(Array("two".utf8))
        #expect(try Gzip.decompress(members) == Array("one two".utf8))
    }

    @Test("every proper prefix of a gzip stream, including empty input, fails as truncated")
    func truncatedInput() throws {
        let packed = try Gzip.compress(Array(String(repeating: "truncate me ", count: 50).utf8))
        for length in 0..<packed.count {
            let error = gzipFailure { () throws(GzipError) in try Gzip.decompress(Array(packed.prefix(length))) }
            #expect(error?.isSameKind(as: .truncated()) == true, "prefix of \(length) bytes: \(String(describing: error))")
        }
    }

    @Test("a wrong checksum, a wrong magic number, and trailing garbage fail as corrupt")
    func corruptInput() throws {
        let text = Array("checksummed".utf8)
        let packed = try Gzip.compress(text)

        var badCRC = packed
        badCRC[packed.count - 8] ^= 0xFF
        var badLength = packed
        badLength[packed.count - 1] ^= 0x01
        var badMagic = packed
        badMagic[1] = 0x8C
        let trailing = packed + Array("garbage".utf8)

        for (name, input) in [("crc", badCRC), ("length", badLength), ("magic", badMagic), ("trailing", trailing)] {
            let error = gzipFailure { () throws(GzipError) in try Gzip.decompress(input) }
            #expect(error?.isSameKind(as: .corrupt()) == true, "\(name): \(String(describing: error))")
        }
    }

    @Test("plain text, JSON and random bytes are not gzip")
    func nonGzipInput() {
        var generator = SplitMix64(seed: 7)
        let random = (0..<4096).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        for input in [Array("hello, world".utf8), Array(#"{"version":1}"#.utf8), random, [0x1F]] {
            let error = gzipFailure { () throws(GzipError) in try Gzip.decompress(input) }
            #expect(error != nil)
        }
    }

    @Test("any single corrupted byte fails with GzipError or decodes; it never crashes")
    func flippedBytesNeverCrash() throws {
        let text = Array(String(repeating: "fuzz the inflater ", count: 40).utf8)
        let packed = try Gzip.compress(text)
        var failures = 0
        for index in packed.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var input = packed
                input[index] ^= mask
                if gzipFailure({ () throws(GzipError) in try Gzip.decompress(input, maxOutputBytes: 1 << 20) }) != nil {
                    failures += 1
                }
            }
        }
        // Header bytes such as the timestamp and OS may change freely; most others may not.
        #expect(failures > packed.count * 3 / 2)
    }

    @Test("a 50 MB bomb with a 1 MiB limit fails as too large")
    func decompressionBomb() throws {
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 50_000_000), level: 9)
        #expect(bomb.count < 100_000)

        let error = gzipFailure { () throws(GzipError) in try Gzip.decompress(bomb, maxOutputBytes: 1 << 20) }
        #expect(error?.isSameKind(as: .tooLarge(limit: 0)) == true)
        #expect(error == .tooLarge(limit: 1 << 20))
    }

    @Test("a bomb of many small gzip members is limited across members")
    func multiMemberBomb() throws {
        let member = try Gzip.compress([UInt8](repeating: 0, count: 1 << 20), level: 9)
        let bomb = Array((0..<50).map { _ in member }.joined())
        #expect(bomb.count < 100_000)

        let error = gzipFailure { () throws(GzipError) in try Gzip.decompress(bomb, maxOutputBytes: 3 << 20) }
        #expect(error == .tooLarge(limit: 3 << 20))
        #expect(try Gzip.decompress(Array(bomb.prefix(member.count * 3)), maxOutputBytes: 3 << 20).count == 3 << 20)
    }

    @Test("output of exactly the limit is accepted; one byte more is not")
    func limitIsInclusive() throws {
        let bytes = [UInt8](repeating: 0x41, count: 100_000)
        let packed = try Gzip.compress(bytes)
        #expect(try Gzip.decompress(packed, maxOutputBytes: 100_000) == bytes)
        let error = gzipFailure { () throws(GzipError) in try Gzip.decompress(packed, maxOutputBytes: 99_999) }
        #expect(error == .tooLarge(limit: 99_999))
    }

    @Test("a compression level outside -1...9 is rejected")
    func invalidLevel() {
        for level: Int32 in [-2, 10, .max] {
            let error = gzipFailure { () throws(GzipError) in try Gzip.compress([1, 2, 3], level: level) }
            #expect(error == .invalidLevel(level))
        }
    }
}

/// The error `body` throws, or `nil`.
private func gzipFailure(_ body: () throws(GzipError) -> [UInt8]) -> GzipError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// A small seeded generator, so "random" inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
