/// The chunk answers of one file so far. On disk it is a journal (``CheckpointJournal``): a
/// header line, then one line per answer appended as it arrives, so keeping an answer costs
/// one short write however many came before, and an interrupted or failed file resumes with its
/// unanswered chunks. A file's chunk calls run several at once, so answers arrive in any order.
public struct Checkpoint: Sendable, Hashable {
    /// What the answers were asked about: a checkpoint made from other bytes, another model,
    /// chunk size or chunk prompt belongs to other chunks or questions and is not resumed.
    public struct Header: Codable, Sendable, Hashable {
        /// The input file's name.
        public var file: String
        /// SHA-256 of the input file's bytes when its chunks were asked.
        public var inputSHA256: String
        /// The model the answers came from.
        public var model: String
        /// The chunk size the answers were asked with.
        public var chunkCharacters: Int
        /// SHA-256 of the chunk prompt's text.
        public var promptSHA256: String
    }

    /// What the answers belong to.
    public var header: Header
    /// The answers so far, in the order they arrived; each chunk's index at most once.
    public var answers: [FileResult.ChunkAnswer]

    /// The input file's name.
    public var file: String { header.file }

    /// A checkpoint of `answers` for `file`, asked as `job` says.
    public init(file: InputFile, job: BatchJob, answers: [FileResult.ChunkAnswer]) {
        header = Header(
            file: file.name, inputSHA256: file.sha256, model: job.model, chunkCharacters: job.chunker.maxCharacters,
            promptSHA256: InputDigest.hex(Array(job.chunkPrompt.text.utf8)))
        self.answers = answers
    }

    /// A checkpoint of `header` and `answers`, as read back.
    public init(header: Header, answers: [FileResult.ChunkAnswer]) {
        self.header = header
        self.answers = answers
    }

    /// Whether these answers belong to `file` as `job` would ask it now.
    public func matches(_ file: InputFile, job: BatchJob) -> Bool {
        header == Checkpoint(file: file, job: job, answers: []).header
            && answers.allSatisfy { $0.index >= 1 } && Set(answers.map(\.index)).count == answers.count
    }
}
