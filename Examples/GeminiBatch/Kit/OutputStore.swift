import Foundation

/// The output folder: one JSON result per input file, written atomically (a temporary file in
/// the same folder, then a rename), so an interrupted run leaves either a whole result or none.
public struct OutputStore: Sendable {
    public let folder: URL

    /// Creates the folder if needed and checks that it can be written.
    /// - Throws: ``BatchError/outputFolder(_:)`` when it cannot be created or written.
    public init(folder: URL) throws(BatchError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .outputFolder("cannot create \(folder.path): \(error.localizedDescription)")
        }
        let probe = folder.appendingPathComponent(".gemini-batch-write-test-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw .outputFolder("\(folder.path) is not writable")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// `<folder>/<file name>.json`.
    public func resultURL(for file: String) -> URL { folder.appendingPathComponent(file + ".json") }

    /// The finished result of `file`, if a previous run wrote one that still decodes.
    public func finishedResult(for file: String) -> FileResult? {
        guard let data = FileManager.default.contents(atPath: resultURL(for: file).path) else { return nil }
        return try? JSONDecoder().decode(FileResult.self, from: data)
    }

    /// Writes `result` atomically.
    public func write(_ result: FileResult) throws {
        try Self.writeJSON(result, to: resultURL(for: result.file))
    }

    /// Encodes `value` as pretty JSON and moves it into place at `url` in one rename.
    public static func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        do {
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
