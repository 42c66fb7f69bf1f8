/// Deterministic embeddings: the same text always gives the same vector.
enum Embedding {
    /// `dimensions` values in [-1, 1), rounded to 6 decimals, seeded by the text's FNV-1a hash.
    static func values(for text: String, dimensions: Int) -> [Double] {
        var generator = SplitMix64(seed: fnv1a(text))
        return (0..<dimensions).map { _ in ((generator.nextUnit() * 2 - 1) * 1_000_000).rounded() / 1_000_000 }
    }

    static func json(_ request: EmbedRequest) -> JSONValue {
        .object([("values", .array(values(for: request.text, dimensions: request.dimensions).map(JSONValue.double)))])
    }

    /// 64-bit FNV-1a.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
