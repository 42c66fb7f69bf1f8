import Foundation

/// A file of the input folder that will be processed.
public struct InputFile: Sendable, Hashable {
    /// The file's name (its path relative to the input folder).
    public let name: String
    public let url: URL
    public let text: String
}

/// A file of the input folder that is left out, and why.
public struct SkippedFile: Sendable, Hashable, Codable {
    public let file: String
    public let reason: String
}

/// Reads the input folder: regular, non-hidden files at its top level, in name order. Files
/// that cannot be read, are not UTF-8 text (or contain NUL bytes), are empty or larger than the
/// limit are skipped with a reason; the batch goes on without them.
public struct InputScanner: Sendable {
    public let maxFileBytes: Int

    public init(maxFileBytes: Int = 8 << 20) { self.maxFileBytes = maxFileBytes }

    public func scan(_ folder: URL) throws(BatchError) -> (files: [InputFile], skipped: [SkippedFile]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .inputFolder("\(folder.path) is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw .inputFolder("cannot list \(folder.path): \(error.localizedDescription)")
        }
        var files: [InputFile] = []
        var skipped: [SkippedFile] = []
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            switch read(url) {
            case .success(let text): files.append(InputFile(name: name, url: url, text: text))
            case .failure(let reason): skipped.append(SkippedFile(file: name, reason: reason.text))
            case nil: continue
            }
        }
        return (files, skipped)
    }

    private struct Reason: Error { let text: String }

    /// The file's text, a reason to skip it, or `nil` for a folder (links are followed).
    private func read(_ url: URL) -> Result<String, Reason>? {
        let target = url.resolvingSymlinksInPath()
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path) else {
            return .failure(Reason(text: "unreadable: cannot stat the file (a broken link?)"))
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeRegular?: break
        case .typeDirectory?: return nil
        case .typeSymbolicLink?: return .failure(Reason(text: "unreadable: a broken link"))
        default: return .failure(Reason(text: "not a regular file"))
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size > maxFileBytes { return .failure(Reason(text: "too large: \(size) bytes (limit \(maxFileBytes))")) }
        if size == 0 { return .failure(Reason(text: "empty")) }
        guard let handle = FileHandle(forReadingAtPath: target.path) else {
            return .failure(Reason(text: "unreadable: permission denied or gone"))
        }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maxFileBytes + 1), !data.isEmpty else {
            return .failure(Reason(text: "unreadable: read failed"))
        }
        if data.count > maxFileBytes { return .failure(Reason(text: "too large: more than \(maxFileBytes) bytes")) }
        if data.contains(0) { return .failure(Reason(text: "binary: contains NUL bytes")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Reason(text: "binary: not UTF-8 text")) }
        if text.allSatisfy(\.isWhitespace) { return .failure(Reason(text: "empty: whitespace only")) }
        return .success(text)
    }
}
