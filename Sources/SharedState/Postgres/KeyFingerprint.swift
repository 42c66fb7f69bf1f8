#if PostgresSharedState
import Crypto
public import GatewayCore

extension APIKey {
    /// The key's name in the shared-state database: `sha256:` and the first 32 hex digits of the
    /// SHA-256 of its text, computed here, so the key itself never reaches the database.
    public var sharedStateFingerprint: String {
        "sha256:" + hexDigits(SHA256.hash(data: Array(revealSecret().utf8)).prefix(16))
    }
}

/// The name a learned quota group goes by in every process: derived from its keys'
/// fingerprints (never their text, never their per-process labels), so processes that learn the
/// same keys pace them in one bucket. The database keeps the first name a group got
/// (`llmgateway_learn`); this one is proposed for a group nobody has named yet.
enum SharedQuotaName {
    /// `shared quota ` and 16 hex digits of the SHA-256 of the sorted fingerprints.
    static func proposed(for fingerprints: some Sequence<String>) -> String {
        let digest = SHA256.hash(data: Array(fingerprints.sorted().joined(separator: ",").utf8))
        return "shared quota " + hexDigits(digest.prefix(8))
    }
}

/// `bytes` as lowercase hexadecimal, two digits each.
private func hexDigits(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
}
#endif
