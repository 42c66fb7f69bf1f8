import Foundation

/// The output folder: one JSON result per input file and a hidden checkpoint per unfinished
/// file, each written atomically (a temporary file in the same folder, then a rename), so an
/// interrupted run leaves either a whole file or none. Names never pass 255 bytes (``OutputNames``).
public struct OutputStore: Sendable {
    /// The output folder.
    public let folder: URL

    /// Creates the folder if needed and checks that it can be written.
    /// - Throws: ``BatchError/outputFolder(_:)`` when it cannot be created or written.
    public init(folder: URL) throws(BatchError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .outputFolder("cannot create \(Printable.path(folder.path)): \(error.localizedDescription)")
        }
        let probe = folder.appendingPathComponent(OutputNames.temporary())
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw .outputFolder("\(Printable.path(folder.path)) is not writable")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Removes the temporary files earlier runs left behind (killed mid-write); returns how many.
    /// Call it only while holding the folder's ``OutputLock``, so no live run's file is taken.
    @discardableResult
    public func removeLeftoverTemporaries() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed = 0
        for name in names where OutputNames.isLeftoverTemporary(name) {
            if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    /// `<folder>/<file name>.json` (shortened with a hash when too long, see ``OutputNames/result(for:)``).
    public func resultURL(for file: String) -> URL { folder.appendingPathComponent(OutputNames.result(for: file)) }

    /// The hidden checkpoint of `file`.
    public func checkpointURL(for file: String) -> URL { folder.appendingPathComponent(OutputNames.checkpoint(for: file)) }

    /// The result of `file` a previous run wrote, if it still decodes (whatever its input).
    public func finishedResult(for file: String) -> FileResult? {
        guard let data = FileManager.default.contents(atPath: resultURL(for: file).path),
            let result = try? JSONDecoder().decode(FileResult.self, from: data), result.file == file
        else { return nil }
        return result
    }

    /// The result of `file` if it was made from these very bytes (a changed file has none).
    public func finishedResult(for file: InputFile) -> FileResult? {
        guard let result = finishedResult(for: file.name), result.inputSHA256 == file.sha256 else { return nil }
        return result
    }

    /// Writes `result` atomically.
    public func write(_ result: FileResult) throws {
        try Self.writeJSON(result, to: resultURL(for: result.file))
    }

    /// The checkpoint of `file`, if one decodes (a torn last answer is dropped).
    public func checkpoint(for file: String) -> Checkpoint? {
        guard let data = FileManager.default.contents(atPath: checkpointURL(for: file).path),
            let checkpoint = CheckpointJournal.decode(data), checkpoint.file == file
        else { return nil }
        return checkpoint
    }

    /// Writes `checkpoint` whole and atomically, replacing the previous one.
    public func write(_ checkpoint: Checkpoint) throws {
        try Self.writeData(CheckpointJournal.encode(checkpoint), to: checkpointURL(for: checkpoint.file))
    }

    /// Starts the journal of `checkpoint`'s file with its answers so far; answers are then appended.
    public func startJournal(_ checkpoint: Checkpoint) throws -> CheckpointJournal {
        try CheckpointJournal(checkpoint, at: checkpointURL(for: checkpoint.file))
    }

    /// Removes the checkpoint of `file` (its result is written, or it is redone from scratch).
    public func removeCheckpoint(for file: String) {
        try? FileManager.default.removeItem(at: checkpointURL(for: file))
    }

    /// Encodes `value` as pretty JSON and moves it into place at `url` in one rename. The
    /// temporary has a short name of its own (``OutputNames/temporary()``), so a long target
    /// name never makes the write fail after the work is done.
    public static func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try writeData(encoder.encode(value), to: url)
    }

    /// Writes `data` to `url` in one rename from a short-named temporary in the same folder.
    static func writeData(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(OutputNames.temporary())
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
