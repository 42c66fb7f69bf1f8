import Foundation

/// A file of the input folder that will be processed.
public struct InputFile: Sendable, Hashable {
    /// The file's name (its path relative to the input folder).
    public let name: String
    /// Where it is.
    public let url: URL
    /// Its text.
    public let text: String
    /// SHA-256 of its bytes, as 64 hex digits: what its result and checkpoint are keyed to.
    public let sha256: String

    /// A file named `name` at `url` with `text`; `sha256` defaults to the digest of the text's UTF-8.
    public init(name: String, url: URL, text: String, sha256: String? = nil) {
        self.name = name
        self.url = url
        self.text = text
        self.sha256 = sha256 ?? InputDigest.hex(Array(text.utf8))
    }
}

/// A file of the input folder that is left out, and why.
public struct SkippedFile: Sendable, Hashable, Codable {
    /// The file's name.
    public let file: String
    /// Why it is left out.
    public let reason: String
}

/// Reads the input folder: regular, non-hidden files at its top level, in name order. Files
/// that cannot be read, are not UTF-8 text (or contain NUL bytes), are empty or larger than the
/// limit are skipped with a reason; the batch goes on without them.
public struct InputScanner: Sendable {
    /// The largest file read, in bytes.
    public let maxFileBytes: Int

    /// A scanner skipping files larger than `maxFileBytes` (at least 1).
    public init(maxFileBytes: Int = 8 << 20) { self.maxFileBytes = max(1, maxFileBytes) }

    /// The files of `folder` to process and those left out.
    /// - Throws: ``BatchError/inputFolder(_:)`` when `folder` is not a folder or cannot be listed.
    public func scan(_ folder: URL) throws(BatchError) -> (files: [InputFile], skipped: [SkippedFile]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .inputFolder("\(Printable.path(folder.path)) is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw .inputFolder("cannot list \(Printable.path(folder.path)): \(error.localizedDescription)")
        }
        var files: [InputFile] = []
        var skipped: [SkippedFile] = []
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            switch read(url) {
            case .success(let (text, digest)): files.append(InputFile(name: name, url: url, text: text, sha256: digest))
            case .failure(let reason): skipped.append(SkippedFile(file: name, reason: reason.text))
            case nil: continue
            }
        }
        return (files, skipped)
    }

    private struct Reason: Error { let text: String }

    /// The file's text and digest, a reason to skip it, or `nil` for a folder (links are followed).
    private func read(_ url: URL) -> Result<(String, String), Reason>? {
        var info = stat()
        if stat(url.path, &info) != 0 {
            let code = errno
            var link = stat()
            let isLink = lstat(url.path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
            let reason: String = switch code {
            case ELOOP: "unreadable: a symlink loop"
            case ENOENT where isLink: "unreadable: a broken link"
            case EACCES: "unreadable: permission denied"
            default: "unreadable: cannot stat the file (\(String(cString: strerror(code))))"
            }
            return .failure(Reason(text: reason))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return nil
        default: return .failure(Reason(text: "not a regular file"))
        }
        let size = Int(info.st_size)
        if size > maxFileBytes { return .failure(Reason(text: "too large: \(size) bytes (limit \(maxFileBytes))")) }
        if size == 0 { return .failure(Reason(text: "empty")) }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            return .failure(Reason(text: "unreadable: permission denied or gone"))
        }
        defer { try? handle.close() }
        // One byte past the limit tells a file that grew since stat; the sum cannot overflow.
        guard let data = try? handle.read(upToCount: min(maxFileBytes, Int.max - 1) + 1), !data.isEmpty else {
            return .failure(Reason(text: "unreadable: read failed"))
        }
        if data.count > maxFileBytes { return .failure(Reason(text: "too large: more than \(maxFileBytes) bytes")) }
        if data.contains(0) { return .failure(Reason(text: "binary: contains NUL bytes")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Reason(text: "binary: not UTF-8 text")) }
        if text.allSatisfy(\.isWhitespace) { return .failure(Reason(text: "empty: whitespace only")) }
        return .success((text, InputDigest.hex(data)))
    }
}
