import Foundation

/// A file's checkpoint on disk: one JSON line for the header, then one JSON line per chunk
/// answer, each appended with a single `write` to a descriptor opened with `O_APPEND`. A line
/// cut short by a crash is dropped when the journal is read back; the journal is rewritten
/// whole (temporary + rename) when a file starts, so appends always follow a complete line.
public final class CheckpointJournal: Sendable {
    private let descriptor: Int32
    /// Where the journal is.
    public let url: URL

    /// Writes `checkpoint` whole to `url` (atomically) and opens it for appending.
    public init(_ checkpoint: Checkpoint, at url: URL) throws {
        self.url = url
        try OutputStore.writeData(Self.encode(checkpoint), to: url)
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Appends one answer as one line, in one write.
    public func append(_ answer: FileResult.ChunkAnswer) throws {
        var line = try JSONEncoder().encode(answer)
        line.append(0x0A)
        var rest = line[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            rest = rest.dropFirst(written)
        }
    }

    /// The checkpoint in `data`: its header and the answers up to the first line that does not
    /// decode (a torn last line) or repeats a chunk; `nil` without a readable header.
    public static func decode(_ data: Data) -> Checkpoint? {
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        guard let first = lines.first, let header = try? JSONDecoder().decode(Checkpoint.Header.self, from: Data(first)) else {
            return nil
        }
        var answers: [FileResult.ChunkAnswer] = []
        var seen = Set<Int>()
        for line in lines.dropFirst() {
            guard let answer = try? JSONDecoder().decode(FileResult.ChunkAnswer.self, from: Data(line)),
                answer.index >= 1, seen.insert(answer.index).inserted
            else { break }
            answers.append(answer)
        }
        return Checkpoint(header: header, answers: answers)
    }

    /// `checkpoint` as journal lines.
    public static func encode(_ checkpoint: Checkpoint) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(checkpoint.header)
        data.append(0x0A)
        for answer in checkpoint.answers {
            data.append(try encoder.encode(answer))
            data.append(0x0A)
        }
        return data
    }
}
