/// The chunk answers of one file so far, written to the output folder after every answer, so
/// that an interrupted or failed file resumes at its first unanswered chunk.
public struct Checkpoint: Codable, Sendable, Hashable {
    /// The input file's name.
    public var file: String
    /// SHA-256 of the input file's bytes when its chunks were asked.
    public var inputSHA256: String
    /// The model, the chunk size and the chunk prompt the answers were asked with: a checkpoint
    /// made with others belongs to other chunks or questions and is not resumed.
    public var model: String
    /// The chunk size the answers were asked with.
    public var chunkCharacters: Int
    /// SHA-256 of the chunk prompt's text.
    public var promptSHA256: String
    /// The answers of chunks 1…n, in order.
    public var answers: [FileResult.ChunkAnswer]

    /// A checkpoint of `answers` for `file`, asked as `job` says.
    public init(file: InputFile, job: BatchJob, answers: [FileResult.ChunkAnswer]) {
        self.file = file.name
        self.inputSHA256 = file.sha256
        self.model = job.model
        self.chunkCharacters = job.chunker.maxCharacters
        self.promptSHA256 = SHA256.hex(Array(job.chunkPrompt.text.utf8))
        self.answers = answers
    }

    /// Whether these answers belong to `file` as `job` would ask it now.
    public func matches(_ file: InputFile, job: BatchJob) -> Bool {
        self.file == file.name && inputSHA256 == file.sha256 && model == job.model
            && chunkCharacters == job.chunker.maxCharacters && promptSHA256 == SHA256.hex(Array(job.chunkPrompt.text.utf8))
            && answers.enumerated().allSatisfy { $0.offset + 1 == $0.element.index }
    }
}
