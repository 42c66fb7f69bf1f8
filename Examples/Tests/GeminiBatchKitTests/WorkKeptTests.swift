import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import Testing

@Suite("SHA-256 fingerprints")
struct SHA256Tests {
    @Test("matches the FIPS 180-4 test vectors")
    func vectors() {
        #expect(InputDigest.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(InputDigest.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(InputDigest.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(InputDigest.hex([UInt8](repeating: 0x61, count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

@Suite("Output names and temporaries")
struct OutputNamesTests {
    @Test("long input names (209–255 bytes, multi-byte too) get result, checkpoint and temporary names within 255 bytes",
          arguments: [209, 230, 251, 255])
    func longNames(length: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OutputStore(folder: folder)
        let name = String(repeating: "n", count: length - 4) + ".txt"
        let accented = String(repeating: "é", count: (length - 4) / 2) + ".txt"   // 2 bytes a character
        for file in [name, accented] {
            let result = FileResult(file: file, inputSHA256: "d", model: "m", key: "#1 …0001", chunks: [], summary: "s",
                attempts: 1, tokens: 1, seconds: 0)
            try store.write(result)
            try store.write(Checkpoint(file: InputFile(name: file, url: folder, text: "t"), job: BatchJob(concurrency: 1), answers: []))
            #expect(store.finishedResult(for: file) == result)
            #expect(store.checkpoint(for: file)?.file == file)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.allSatisfy { $0.utf8.count <= 255 })
        #expect(names.count { !$0.hasPrefix(".") } == 2)   // two distinct results
        #expect(!names.contains { $0.hasSuffix(".tmp") })
        #expect(OutputNames.temporary().utf8.count <= 64)
    }

    @Test("names that fit keep the plain <file>.json; two long names differing at the end stay distinct")
    func distinct() {
        #expect(OutputNames.result(for: "a.txt") == "a.txt.json")
        let long = String(repeating: "x", count: 260)
        #expect(OutputNames.result(for: long + "1") != OutputNames.result(for: long + "2"))
    }

    @Test("temporaries left by a killed run (old and new names) are removed at start; results stay")
    func leftovers() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeFiles(input, [:])
        try writeFiles(output, [
            ".a.txt.json.\(UUID().uuidString).tmp": "{", OutputNames.temporary(): "{", "keep.txt.json": "{}",
            ".notes.tmp": "mine",
        ])
        let keys = testKeys(1)
        let outcome = try await GeminiEmulator.withEmulator(fastEmulator(keys)) { emulator in
            try await BatchApp.run(settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys), log: { _ in })
        }
        #expect(outcome.exitStatus == 0)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: output.path))
        #expect(names == ["keep.txt.json", ".notes.tmp", OutputNames.lockName])
    }
}

@Suite("Work is kept: checkpoints, content keys, --force", .serialized, .timeLimit(.minutes(2)))
struct WorkKeptTests {
    @Test("a file with checkpointed answers resumes at its first unanswered chunk and keeps them")
    func resumeFromCheckpoint() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        let text = paragraphs(8)
        try writeFiles(input, ["a.txt": text])
        let keys = testKeys(1)
        let job = BatchJob(chunkCharacters: 200, concurrency: 1)
        let chunks = job.chunker.chunks(of: text)
        #expect(chunks.count >= 4)
        let file = try #require(try InputScanner().scan(input).files.first)
        let kept = (1...2).map { FileResult.ChunkAnswer(index: $0, characters: chunks[$0 - 1].count, answer: "kept \($0)", attempts: 1, tokens: 5) }
        try OutputStore(folder: output).write(Checkpoint(file: file, job: job, answers: kept))

        let (outcome, audit) = try await GeminiEmulator.withEmulator(fastEmulator(keys)) { emulator in
            let outcome = try await BatchApp.run(settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys), log: { _ in })
            return (outcome, emulator.audit())
        }
        #expect(outcome.exitStatus == 0)
        #expect(audit.totalRequests == chunks.count - 2 + 1)   // the rest of the chunks, then the summary
        let result = try #require(try OutputStore(folder: output).finishedResult(for: "a.txt"))
        #expect(result.chunks.count == chunks.count)
        #expect(result.chunks.prefix(2).map(\.answer) == ["kept 1", "kept 2"])
        #expect(result.inputSHA256 == file.sha256)
        #expect(try OutputStore(folder: output).checkpoint(for: "a.txt") == nil)
    }

    @Test("a checkpoint of other bytes, another prompt or another chunk size is not resumed")
    func staleCheckpoint() throws {
        let job = BatchJob(chunkCharacters: 200, concurrency: 1)
        let file = InputFile(name: "a.txt", url: URL(fileURLWithPath: "/a.txt"), text: "one")
        let checkpoint = Checkpoint(file: file, job: job, answers: [.init(index: 1, characters: 3, answer: "x", attempts: 1, tokens: nil)])
        #expect(checkpoint.matches(file, job: job))
        #expect(!checkpoint.matches(InputFile(name: "a.txt", url: file.url, text: "two"), job: job))
        #expect(!checkpoint.matches(file, job: BatchJob(chunkPrompt: PromptTemplate("other {chunk}"), chunkCharacters: 200, concurrency: 1)))
        #expect(!checkpoint.matches(file, job: BatchJob(chunkCharacters: 300, concurrency: 1)))
        #expect(!checkpoint.matches(file, job: BatchJob(model: "gemini-2.5-pro", chunkCharacters: 200, concurrency: 1)))
    }

    @Test("an unchanged file is skipped, a changed one is redone, --force redoes everything")
    func contentKeyed() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeFiles(input, ["a.txt": "first text", "b.txt": "other text"])
        let keys = testKeys(2)
        try await GeminiEmulator.withEmulator(fastEmulator(keys)) { emulator in
            func run(force: Bool = false) async throws -> (BatchApp.Outcome, Int) {
                let before = emulator.audit().totalRequests
                let outcome = try await BatchApp.run(
                    settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys, force: force), log: { _ in })
                return (outcome, emulator.audit().totalRequests - before)
            }
            let (first, firstCalls) = try await run()
            #expect(first.summary.filesOK == 2 && firstCalls == 2)
            let (same, sameCalls) = try await run()
            #expect(same.summary.filesResumed == 2 && sameCalls == 0)
            try writeFiles(input, ["a.txt": "first text, changed"])
            let (changed, changedCalls) = try await run()
            #expect(changed.summary.filesOK == 1 && changed.summary.filesResumed == 1 && changedCalls == 1)
            #expect(try OutputStore(folder: output).finishedResult(for: "a.txt")?.inputSHA256 == InputDigest.hex(Array("first text, changed".utf8)))
            let (forced, forcedCalls) = try await run(force: true)
            #expect(forced.summary.filesOK == 2 && forced.summary.filesResumed == 0 && forcedCalls == 2)
        }
    }

    @Test("an input name of 255 bytes is processed and its result kept across runs")
    func longNameEndToEnd() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        let name = String(repeating: "l", count: 251) + ".txt"
        try writeFiles(input, [name: paragraphs(4)])
        let keys = testKeys(1)
        try await GeminiEmulator.withEmulator(fastEmulator(keys)) { emulator in
            let first = try await BatchApp.run(settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys), log: { _ in })
            #expect(first.exitStatus == 0 && first.summary.filesOK == 1)
            let calls = emulator.audit().totalRequests
            let second = try await BatchApp.run(settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys), log: { _ in })
            #expect(second.summary.filesResumed == 1)
            #expect(emulator.audit().totalRequests == calls)
        }
    }
}

@Suite("Checkpoint journals")
struct CheckpointJournalTests {
    static let job = BatchJob(chunkCharacters: 200, concurrency: 1)
    static func answer(_ index: Int) -> FileResult.ChunkAnswer {
        .init(index: index, characters: 10, answer: "answer \(index)\nwith a newline", attempts: 1, tokens: 3)
    }

    @Test("each answer is one appended line; a torn last line is dropped and a restarted journal goes on after the good ones")
    func tornTail() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OutputStore(folder: folder)
        let file = InputFile(name: "a.txt", url: folder, text: "text")
        let journal = try store.startJournal(Checkpoint(file: file, job: Self.job, answers: [Self.answer(1)]))
        let url = store.checkpointURL(for: "a.txt")
        let before = try Data(contentsOf: url).count
        try journal.append(Self.answer(2))
        let line = try Data(contentsOf: url).count - before
        try journal.append(Self.answer(3))
        #expect(try Data(contentsOf: url).count == before + 2 * line)   // appended, not rewritten
        #expect(store.checkpoint(for: "a.txt")?.answers == [Self.answer(1), Self.answer(2), Self.answer(3)])

        // A crash in the middle of the fourth line.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"index\":4,\"answ".utf8))
        try handle.close()
        let read = try #require(store.checkpoint(for: "a.txt"))
        #expect(read.answers.count == 3 && read.matches(file, job: Self.job))
        let restarted = try store.startJournal(read)
        try restarted.append(Self.answer(4))
        #expect(store.checkpoint(for: "a.txt")?.answers.map(\.index) == [1, 2, 3, 4])
    }
}
