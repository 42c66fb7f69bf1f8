import Foundation
import GatewayCore
import GeminiProvider

/// Runs a batch: every file on its own dedicated key (a `withClient` scope per file), chunk by
/// chunk, then one call combining the chunk answers; results written atomically; finished files
/// skipped, so an interrupted run resumes where it stopped.
public struct BatchRunner: Sendable {
    public let gateway: Gateway<GeminiProvider>
    public let job: BatchJob
    public let store: OutputStore
    public let board: ProgressBoard
    /// Receives one line per finished, failed or resumed file.
    public let log: @Sendable (String) -> Void

    public init(
        gateway: Gateway<GeminiProvider>, job: BatchJob, store: OutputStore, board: ProgressBoard = ProgressBoard(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.gateway = gateway
        self.job = job
        self.store = store
        self.board = board
        self.log = log
    }

    /// Processes `files` and returns the run's summary (also when some or all files fail).
    public func run(_ files: [InputFile], skipped: [SkippedFile], rate: RateLimit) async -> RunSummary {
        let clock = ContinuousClock()
        let started = clock.now
        var pending: [InputFile] = []
        var resumed = 0
        for file in files {
            if store.finishedResult(for: file.name) != nil {
                resumed += 1
                log("already done: \(file.name)")
            } else {
                pending.append(file)
            }
        }
        board.update {
            $0.filesTotal = files.count
            $0.filesResumed = resumed
            $0.callsPlanned = pending.reduce(0) { $0 + plannedCalls(for: $1) }
        }

        var failures: [RunSummary.FileFailure] = []
        var succeeded = 0
        await withTaskGroup(of: (String, Result<FileResult, FileFailed>).self) { group in
            var queue = pending[...]
            var running = 0
            func startNext() -> Bool {
                guard let file = queue.popFirst() else { return false }
                running += 1
                group.addTask { (file.name, await process(file)) }
                return true
            }
            for _ in 0..<job.concurrency where startNext() {}
            while let (name, outcome) = await group.next() {
                running -= 1
                switch outcome {
                case .success:
                    succeeded += 1
                    board.update { $0.filesDone += 1 }
                    log("done: \(name)")
                case .failure(let failure):
                    failures.append(.init(file: name, reason: failure.reason))
                    board.update { $0.filesFailed += 1 }
                    log("failed: \(name): \(failure.reason)")
                }
                let usable = usableKeyCount()
                if usable == 0 {
                    // Every key is disabled: the remaining files cannot run; say so for each.
                    while let file = queue.popFirst() {
                        failures.append(.init(file: file.name, reason: "not run: every key is disabled"))
                        board.update { $0.filesFailed += 1 }
                    }
                } else {
                    // One file per healthy key: keys found bad shrink the number of files at once.
                    while running < min(job.concurrency, usable), startNext() {}
                }
            }
        }
        let wall = started.duration(to: clock.now).inSeconds
        return summary(
            files: files.count, ok: succeeded, resumed: resumed, failures: failures.sorted { $0.file < $1.file },
            skipped: skipped, wall: wall, rate: rate)
    }

    // MARK: One file

    struct FileFailed: Error { let reason: String }

    func plannedCalls(for file: InputFile) -> Int {
        let chunks = job.chunker.chunks(of: file.text).count
        return chunks + (chunks > 1 ? 1 : 0)
    }

    private func process(_ file: InputFile) async -> Result<FileResult, FileFailed> {
        let clock = ContinuousClock()
        let started = clock.now
        board.update { $0.filesRunning.insert(file.name) }
        defer { board.update { $0.filesRunning.remove(file.name) } }
        let chunks = job.chunker.chunks(of: file.text)
        do {
            let result = try await gateway.withClient(task: TaskID(file.name)) { client -> FileResult in
                var answers: [FileResult.ChunkAnswer] = []
                var attempts = 0
                var tokens = 0
                var key = ""
                for (offset, chunk) in chunks.enumerated() {
                    let prompt = job.chunkPrompt.render([
                        "chunk": chunk, "file": file.name, "index": "\(offset + 1)", "count": "\(chunks.count)",
                    ])
                    let answer = try await ask(client, prompt)
                    attempts += answer.attempts
                    tokens += answer.tokens ?? 0
                    key = answer.key
                    answers.append(.init(index: offset + 1, characters: chunk.count, answer: answer.text,
                        attempts: answer.attempts, tokens: answer.tokens))
                }
                var summary = answers.first?.answer ?? ""
                if answers.count > 1 {
                    let numbered = answers.map { "\($0.index). \($0.answer)" }.joined(separator: "\n\n")
                    let answer = try await ask(client, job.summaryPrompt.render(["answers": numbered, "file": file.name]))
                    attempts += answer.attempts
                    tokens += answer.tokens ?? 0
                    key = answer.key
                    summary = answer.text
                }
                return FileResult(
                    file: file.name, model: job.model, key: key, chunks: answers, summary: summary,
                    attempts: attempts, tokens: tokens, seconds: started.duration(to: clock.now).inSeconds)
            }
            try store.write(result)
            return .success(result)
        } catch let error as GatewayError {
            return .failure(FileFailed(reason: Self.headline(of: error)))
        } catch {
            return .failure(FileFailed(reason: "\(error)"))
        }
    }

    private struct Answer {
        var text: String
        var attempts: Int
        var tokens: Int?
        var key: String
    }

    private func ask(_ client: GatewayClient<GeminiProvider>, _ prompt: String) async throws -> Answer {
        let body = GenerateContentRequest(contents: [.user(prompt)], generationConfig: job.generationConfig)
        let (response, report) = try await client.sendReporting(.generateContent(body, model: job.model))
        board.update { $0.callsDone += 1 }
        let answer = response.generateContent
        guard let text = answer?.text, !text.isEmpty else {
            throw GeminiError.noText(finishReason: answer?.candidates?.first?.finishReason)
        }
        return Answer(text: text, attempts: report.attempts, tokens: answer?.usageMetadata?.totalTokenCount,
            key: "\(report.keyLabel) \(report.maskedKey)")
    }

    /// The first line of a gateway error (its trail follows on the next lines).
    static func headline(of error: GatewayError) -> String {
        String("\(error)".split(separator: "\n", maxSplits: 1).first ?? "")
    }

    /// Keys not disabled (cooling keys count: they come back).
    private func usableKeyCount() -> Int {
        gateway.snapshot().keys.count { if case .disabled = $0.health { false } else { true } }
    }

    // MARK: Summary

    private func summary(
        files: Int, ok: Int, resumed: Int, failures: [RunSummary.FileFailure], skipped: [SkippedFile],
        wall: Double, rate: RateLimit
    ) -> RunSummary {
        let stats = gateway.statistics()
        let snapshot = gateway.snapshot()
        let disabled = snapshot.keys.compactMap { key -> RunSummary.DisabledKey? in
            if case .disabled(let reason) = key.health { .init(key: key.displayName, reason: reason) } else { nil }
        }
        let groups = Set(snapshot.keys.filter { if case .disabled = $0.health { false } else { true } }.map(\.quotaGroup))
        let windows = wall / max(rate.period.inSeconds, 1e-9)
        let ceiling = Double(rate.requests * max(groups.count, 1))
        let efficiency = stats.callsSucceeded > 0 && windows > 0 ? Double(stats.callsSucceeded) / windows / ceiling : nil
        return RunSummary(
            model: job.model, rate: "\(rate.requests)/\(rate.period.inSeconds)s", filesTotal: files,
            filesOK: ok, filesResumed: resumed, filesFailed: failures, filesSkipped: skipped,
            calls: stats.callsSucceeded, failedCalls: stats.callsFailed, attempts: stats.attempts,
            retries: stats.retries, rotations: stats.rotations, rateLimited: stats.rateLimited,
            keysDisabled: disabled, wallSeconds: wall, callsPerSecond: wall > 0 ? Double(stats.callsSucceeded) / wall : 0,
            efficiency: efficiency,
            perKey: snapshot.keys.map {
                .init(key: $0.displayName, quotaGroup: $0.quotaGroup.name, state: "\($0.health)", attempts: $0.attempts,
                    successes: $0.successes, failures: $0.failures, rateLimited: $0.rateLimited)
            })
    }
}
