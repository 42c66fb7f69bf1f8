import Foundation
import GatewayCore

/// Runs a batch, longest files first: every file on its own dedicated key (a `withClient` scope per file), its chunk
/// calls in flight at once as far as the key's quota group takes them (``GatewayClient/sendEach(_:maxInFlight:deadline:allStarted:_:)``:
/// one at a time on a free tier, many on a paid one), then one call combining the chunk answers.
/// Each chunk answer is checkpointed as it arrives and each result written atomically, keyed to
/// the input's bytes, so an interrupted or failed file resumes with its unanswered chunks and an
/// unchanged finished file is skipped.
public struct BatchRunner<P: BatchProvider>: Sendable {
    /// The gateway the calls go through.
    public let gateway: Gateway<P>
    /// What to ask.
    public let job: BatchJob
    /// Where results and checkpoints go.
    public let store: OutputStore
    /// Progress, for the live view.
    public let board: ProgressBoard
    /// Redo every file, ignoring earlier results and checkpoints.
    public let force: Bool
    /// Asked to stop early (a signal, a dead server): no new file starts, files in flight stop,
    /// their answers so far stay checkpointed.
    public let stop: RunStop
    /// Receives one line per finished, failed or resumed file.
    public let log: @Sendable (String) -> Void

    /// A runner over `gateway` writing to `store`.
    public init(
        gateway: Gateway<P>, job: BatchJob, store: OutputStore, board: ProgressBoard = ProgressBoard(),
        force: Bool = false, stop: RunStop = RunStop(), log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.gateway = gateway
        self.job = job
        self.store = store
        self.board = board
        self.force = force
        self.stop = stop
        self.log = log
    }

    /// Processes `files` and returns the run's summary (also when some or all files fail, or
    /// the run is stopped).
    public func run(_ files: [InputFile], skipped: [SkippedFile], rate: RateLimit) async -> RunSummary {
        let clock = ContinuousClock()
        let started = clock.now
        var pending: [InputFile] = []
        var resumed = 0
        for file in files {
            if force {
                store.removeCheckpoint(for: file.name)
                pending.append(file)
            } else if store.finishedResult(for: file) != nil {
                resumed += 1
                log("already done: \(Printable.escaped(file.name))")
            } else {
                if store.finishedResult(for: file.name) != nil {
                    log("changed since its result, redoing: \(Printable.escaped(file.name))")
                }
                pending.append(file)
            }
        }
        // Longest first (most calls still to make): the files that finish last are then short
        // ones, so the keys run out of work together instead of one long file running alone.
        let planned = pending.map(plannedCalls(for:))
        pending = pending.indices.sorted { (planned[$1], $0) < (planned[$0], $1) }.map { pending[$0] }
        board.update {
            $0.filesTotal = files.count
            $0.filesResumed = resumed
            $0.callsPlanned = planned.reduce(0, +)
        }

        // A task of its own, so a stop request can cancel it from outside; the caller's own
        // cancellation is passed on to it.
        let work = Task { await runPending(pending) }
        stop.onRequest { work.cancel() }
        let tally = await withTaskCancellationHandler { await work.value } onCancel: { work.cancel() }
        let wall = started.duration(to: clock.now).inSeconds
        var summary = summary(
            files: files.count, ok: tally.succeeded, resumed: resumed, failures: tally.failures.sorted { $0.file < $1.file },
            skipped: skipped, wall: wall, rate: rate)
        if let reason = stop.reason {
            summary.interrupted = reason.description
            summary.filesInterrupted = tally.interrupted.sorted()
            summary.filesNotStarted = tally.notStarted
        }
        return summary
    }

    private struct Tally {
        var succeeded = 0
        var failures: [RunSummary.FileFailure] = []
        var interrupted: [String] = []
        var notStarted = 0
    }

    /// What a file's tasks in ``runPending(_:)`` report.
    private enum Event: Sendable {
        /// The file ended.
        case done(String, Outcome)
        /// The file has started its last chunk call and a combining call will follow (`true`),
        /// or it ended without (`false`).
        case combining(String, Bool)
    }

    private func runPending(_ pending: [InputFile]) async -> Tally {
        var tally = Tally()
        await withTaskGroup(of: Event.self) { group in
            var queue = pending[...]
            var running = 0
            // Files whose last chunk calls are out, several in flight (answers and the combining
            // call to come): their key's pace has room for the next file's calls, so they do not
            // count against the files at once.
            var combining = Set<String>()
            func startNext() -> Bool {
                guard !Task.isCancelled, let file = queue.popFirst() else { return false }
                running += 1
                let (signal, fire) = AsyncStream<Void>.makeStream()
                group.addTask {
                    var fired = false
                    for await _ in signal { fired = true; break }
                    return .combining(file.name, fired)
                }
                group.addTask {
                    defer { fire.finish() }
                    return .done(file.name, await process(file, combining: { fire.yield() }))
                }
                return true
            }
            for _ in 0..<job.concurrency where startNext() {}
            while let event = await group.next() {
                let name: String, outcome: Outcome
                switch event {
                case .combining(let file, let fired):
                    if fired, !Task.isCancelled {
                        combining.insert(file)
                        if running - combining.count < job.concurrency { _ = startNext() }
                    }
                    continue
                case .done(let file, let result):
                    (name, outcome) = (file, result)
                }
                running -= 1
                combining.remove(name)
                switch outcome {
                case .success:
                    tally.succeeded += 1
                    board.update { $0.filesDone += 1 }
                    log("done: \(Printable.escaped(name))")
                case .failure(let reason):
                    tally.failures.append(.init(file: name, reason: reason))
                    board.update { $0.filesFailed += 1 }
                    log("failed: \(Printable.escaped(name)): \(Printable.escaped(reason))")
                case .interrupted(let kept):
                    tally.interrupted.append(name)
                    log("stopped: \(Printable.escaped(name)): \(kept) chunk answer(s) kept for the next run")
                }
                if Task.isCancelled { continue }
                let keys = gateway.snapshot().keys.filter { if case .disabled = $0.health { false } else { true } }
                if keys.isEmpty {
                    // Every key is disabled: the remaining files cannot run; say so for each.
                    while let file = queue.popFirst() {
                        tally.failures.append(.init(file: file.name, reason: "not run: every key is disabled"))
                        board.update { $0.filesFailed += 1 }
                    }
                } else {
                    // A new file for each usable key that holds none, so no key idles while
                    // another is doubled up (keys found bad shrink the number of files at once).
                    var idle = keys.count { $0.leases == 0 }
                    while idle > 0, running - combining.count < job.concurrency, startNext() { idle -= 1 }
                }
            }
            tally.notStarted = queue.count
        }
        return tally
    }

    // MARK: One file

    private enum Outcome: Sendable {
        case success
        case failure(String)
        /// Stopped early; the number of chunk answers checkpointed.
        case interrupted(Int)
    }

    /// The calls `file` still needs: its unanswered chunks, and the combining call if it has
    /// more than one chunk.
    func plannedCalls(for file: InputFile) -> Int {
        let chunks = job.chunker.chunks(of: file.text).count
        let kept = force ? 0 : resumableAnswers(for: file, chunks: chunks).count
        return chunks - kept + (chunks > 1 ? 1 : 0)
    }

    /// The checkpointed answers of `file` that can be resumed (none when it changed).
    private func resumableAnswers(for file: InputFile, chunks: Int) -> [FileResult.ChunkAnswer] {
        guard let checkpoint = store.checkpoint(for: file.name), checkpoint.matches(file, job: job),
            checkpoint.answers.allSatisfy({ $0.index <= chunks })
        else { return [] }
        return checkpoint.answers
    }

    /// Processes one file; `combining` is called (at most once) when its last chunk call has
    /// started among others in flight and a combining call will follow.
    private func process(_ file: InputFile, combining: @Sendable () -> Void) async -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        board.update { $0.filesRunning.insert(file.name) }
        defer { board.update { $0.filesRunning.remove(file.name) } }
        let chunks = job.chunker.chunks(of: file.text)
        let kept = resumableAnswers(for: file, chunks: chunks.count)
        var answers = Dictionary(uniqueKeysWithValues: kept.map { ($0.index, $0) })
        let missing = (1...max(chunks.count, 1)).filter { $0 <= chunks.count && answers[$0] == nil }
        if !kept.isEmpty {
            log("resuming \(Printable.escaped(file.name)): \(kept.count) of \(chunks.count) chunk answers kept, \(missing.count) to ask")
        }
        do {
            let journal = try store.startJournal(Checkpoint(file: file, job: job, answers: kept))
            try await gateway.withClient(task: TaskID(file.name)) { client in
                var key = ""
                var firstFailure: (any Error)?
                let requests = missing.map { index in
                    P.request(asking: job.chunkPrompt.render([
                        "chunk": chunks[index - 1], "file": file.name, "index": "\(index)", "count": "\(chunks.count)",
                    ]), job: job)
                }
                // A chunk that fails does not stop the others: what they answer is kept for the
                // next run. A checkpoint that cannot be written stops the file (and its calls).
                // When the last chunk call starts among others still in flight (a pace faster than
                // an answer), the key has room while they come back: the next file may start. One
                // call at a time (a free tier), another file would only split the key.
                let combines = chunks.count > 1
                try await client.sendEach(requests, maxInFlight: job.maxCallsInFlight, allStarted: { inFlight in
                    if combines, inFlight > 1 { combining() }
                }) {
                    (position, result) throws(JournalError) in
                    let index = missing[position]
                    let chunk: FileResult.ChunkAnswer
                    do {
                        let (response, report) = try result.get()
                        let answer = try answer(response, report)
                        chunk = FileResult.ChunkAnswer(index: index, characters: chunks[index - 1].count, answer: answer.text,
                            attempts: answer.attempts, tokens: answer.tokens)
                        key = answer.key
                    } catch {
                        if firstFailure == nil { firstFailure = error }
                        return
                    }
                    answers[index] = chunk
                    // Paid for: on disk as it arrives, so no stop or failure loses it.
                    do { try journal.append(chunk) } catch { throw JournalError(underlying: error) }
                }
                if let firstFailure { throw firstFailure }
                let ordered = answers.values.sorted { $0.index < $1.index }
                var attempts = ordered.reduce(0) { $0 + $1.attempts }
                var tokens = ordered.reduce(0) { $0 + ($1.tokens ?? 0) }
                var summary = ordered.first?.answer ?? ""
                if ordered.count > 1 {
                    let numbered = ordered.map { "\($0.index). \($0.answer)" }.joined(separator: "\n\n")
                    let (response, report) = try await client.sendReporting(
                        P.request(asking: job.summaryPrompt.render(["answers": numbered, "file": file.name]), job: job))
                    let answer = try answer(response, report)
                    attempts += answer.attempts
                    tokens += answer.tokens ?? 0
                    key = answer.key
                    summary = answer.text
                }
                let result = FileResult(
                    file: file.name, inputSHA256: file.sha256, model: job.model, key: key.isEmpty ? "(from a checkpoint)" : key,
                    chunks: ordered, summary: summary, attempts: attempts, tokens: tokens,
                    seconds: started.duration(to: clock.now).inSeconds)
                // Written before the key is released: the next file then starts the moment the key
                // frees, before a file that shares another key can move onto it (waiting files
                // have the most calls left, so the freed key is theirs).
                try store.write(result)
                store.removeCheckpoint(for: file.name)
            }
            return .success
        } catch {
            if Task.isCancelled || stop.reason != nil { return .interrupted(answers.count) }
            if let error = error as? GatewayError { return .failure(Self.headline(of: error)) }
            return .failure("\(error)")
        }
    }

    private struct Answer {
        var text: String
        var attempts: Int
        var tokens: Int?
        var key: String
    }

    /// A checkpoint line that could not be written: the file stops, its answers so far are kept.
    private struct JournalError: Error, CustomStringConvertible {
        var underlying: any Error
        var description: String { "could not save a chunk answer: \(underlying)" }
    }

    /// The text of one answer, counted as a call done.
    private func answer(_ response: P.Response, _ report: CallReport) throws -> Answer {
        board.update { $0.callsDone += 1 }
        let (text, tokens) = try P.answer(in: response)
        return Answer(text: text, attempts: report.attempts, tokens: tokens, key: "\(report.keyLabel) \(report.maskedKey)")
    }

    /// Why a gateway call ended, in one line (without the attempt trail).
    static func headline(of error: GatewayError) -> String { error.reason }

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
        let ceiling = Double(rate.requests) * Double(max(groups.count, 1))   // no Int product: it can overflow
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
            },
            sharedQuotaNotes: snapshot.sharedQuotaNotes)
    }
}
