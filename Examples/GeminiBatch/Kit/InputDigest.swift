import Crypto

/// SHA-256 in hex, to key results and checkpoints to the bytes of their input file: a changed
/// file is redone, an unchanged one is not.
public enum InputDigest {
    /// The SHA-256 digest of `bytes` as 64 lowercase hexadecimal digits.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(bytes)) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }
}
