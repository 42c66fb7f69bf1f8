#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
/// Stable identifiers the answers carry.
extension EmulatorEngine {
    /// A stable 12-digit project number for a project name (what `projects/<number>` shows).
    static func projectNumber(_ project: String) -> String {
        String(100_000_000_000 + Embedding.fnv1a(project) % 900_000_000_000)
    }

    /// A 22-character base64url response id, like the real ones, derived from the response's number.
    static func responseID(_ number: Int, seed: UInt64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var generator = SplitMix64(seed: seed &+ UInt64(number) &* 0x9E37_79B9)
        return String((0..<22).map { _ in alphabet[Int(generator.next() % 64)] })
    }
}
#endif
