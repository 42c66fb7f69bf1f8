#if PostgresSharedState
import Crypto
public import GatewayCore

extension APIKey {
    /// The key's name in the shared-state database: `sha256:` and the first 32 hex digits of the
    /// SHA-256 of its text, computed here, so the key itself never reaches the database.
    public var sharedStateFingerprint: String {
        let digest = SHA256.hash(data: Array(revealSecret().utf8))
        let hex = digest.prefix(16).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return "sha256:" + hex.joined()
    }
}
#endif
