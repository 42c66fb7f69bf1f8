import Foundation

/// The names `gemini-batch` gives its files in the output folder. Every name stays within the
/// 255-byte limit of common file systems (ext4, APFS, XFS), however long the input's name.
public enum OutputNames {
    /// The longest file name, in bytes, that ext4, XFS, btrfs and APFS accept.
    public static let maxNameBytes = 255
    /// The prefix of every temporary file (removed at the start of a run).
    public static let temporaryPrefix = ".gemini-batch-tmp-"
    /// The prefix of every checkpoint (a file's chunk answers so far).
    public static let checkpointPrefix = ".gemini-batch-partial-"
    /// The advisory lock that keeps one run per output folder.
    public static let lockName = ".gemini-batch.lock"

    /// `<file>.json`, or, when that would pass 255 bytes, the longest prefix of the name that
    /// fits, `~`, 16 hex digits of the name's SHA-256 and `.json`: distinct names stay distinct.
    public static func result(for file: String) -> String {
        let plain = file + ".json"
        if plain.utf8.count <= maxNameBytes { return plain }
        let tail = "~" + String(InputDigest.hex(Array(file.utf8)).prefix(16)) + ".json"
        var prefix = ""
        var bytes = 0
        for character in file {
            let size = character.utf8.count
            if bytes + size + tail.utf8.count > maxNameBytes { break }
            prefix.append(character)
            bytes += size
        }
        return prefix + tail
    }

    /// The hidden checkpoint of `file`: a fixed-length name, whatever the file's.
    public static func checkpoint(for file: String) -> String {
        checkpointPrefix + String(InputDigest.hex(Array(file.utf8)).prefix(32)) + ".jsonl"
    }

    /// A fresh temporary name (58 bytes), for a write that a rename then moves into place.
    public static func temporary() -> String {
        temporaryPrefix + UUID().uuidString + ".tmp"
    }

    /// Whether `name` is a temporary this or an earlier version of `gemini-batch` left behind
    /// (earlier versions wrote `.<name>.json.<UUID>.tmp`).
    public static func isLeftoverTemporary(_ name: String) -> Bool {
        if name.hasPrefix(temporaryPrefix) && name.hasSuffix(".tmp") { return true }
        if name.hasPrefix(".gemini-batch-write-test-") { return true }
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let uuid = parts.last, parts[parts.count - 2] == "json" else { return false }
        return UUID(uuidString: String(uuid)) != nil
    }
}
