extension APIKey {
    /// The shortest run of a key's characters that counts as a trace of it.
    static var shortestTrace: Int { 8 }

    /// `text` with every trace of this key masked: each run of at least eight of its
    /// consecutive characters, compared without regard to ASCII case, becomes ``masked``. Runs
    /// that overlap or touch are masked as one. Apply before cutting a message, never after.
    public func redact(in text: String) -> String {
        let key = Array(revealSecret().unicodeScalars).map(Self.folded)
        let scalars = Array(text.unicodeScalars)
        let minimum = min(Self.shortestTrace, key.count)
        guard minimum > 0, scalars.count >= minimum else { return text }
        // Longest common suffix of text[..<i] and key[..<j], one row at a time.
        var previous = [Int](repeating: 0, count: key.count + 1)
        var current = previous
        var masked = [Bool](repeating: false, count: scalars.count)
        for i in scalars.indices {
            let scalar = Self.folded(scalars[i])
            var longest = 0
            for j in key.indices {
                current[j + 1] = scalar == key[j] ? previous[j] + 1 : 0
                longest = max(longest, current[j + 1])
            }
            if longest >= minimum {
                for index in (i - longest + 1)...i { masked[index] = true }
            }
            swap(&previous, &current)
        }
        guard masked.contains(true) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if masked[index] {
                result.append(contentsOf: self.masked.unicodeScalars)
                while index < scalars.count, masked[index] { index += 1 }
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    private static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
    }
}
