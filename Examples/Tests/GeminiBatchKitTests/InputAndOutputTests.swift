import Foundation
import GeminiBatchKit
import Testing

/// A fresh temporary folder, removed by the caller's `defer`.
func temporaryFolder(_ name: String = "gemini-batch") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Input scanning and output writing")
struct InputAndOutputTests {
    @Test("text files are read; binary, non-UTF-8, empty, huge and hidden files are skipped with reasons")
    func scan() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "hello".write(to: folder.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        try "first".write(to: folder.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        try Data([0x68, 0x00, 0x69]).write(to: folder.appendingPathComponent("nul.bin"))
        try Data([0xFF, 0xFE, 0xC3]).write(to: folder.appendingPathComponent("latin.txt"))
        try Data().write(to: folder.appendingPathComponent("empty.txt"))
        try String(repeating: "x", count: 2_000).write(to: folder.appendingPathComponent("huge.txt"), atomically: true, encoding: .utf8)
        try "secret".write(to: folder.appendingPathComponent(".hidden"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("c-link.txt").path, withDestinationPath: folder.appendingPathComponent("b.txt").path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dangling.txt").path, withDestinationPath: "/nonexistent/target")
        #expect(mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0)

        let (files, skipped) = try InputScanner(maxFileBytes: 1_000).scan(folder)
        #expect(files.map(\.name) == ["a.md", "b.txt", "c-link.txt"])
        #expect(files.map(\.text) == ["first", "hello", "hello"])
        let reasons = Dictionary(uniqueKeysWithValues: skipped.map { ($0.file, $0.reason) })
        #expect(reasons["nul.bin"]?.hasPrefix("binary") == true)
        #expect(reasons["latin.txt"]?.hasPrefix("binary") == true)
        #expect(reasons["empty.txt"]?.hasPrefix("empty") == true)
        #expect(reasons["huge.txt"]?.hasPrefix("too large") == true)
        #expect(reasons["dangling.txt"]?.hasPrefix("unreadable") == true)
        #expect(reasons["pipe"] == "not a regular file")
        #expect(reasons[".hidden"] == nil && reasons["sub"] == nil)
    }

    @Test("a missing input folder is a typed error")
    func missingInput() {
        #expect(throws: BatchError.self) { try InputScanner().scan(URL(fileURLWithPath: "/nonexistent/gemini-batch-input")) }
    }

    @Test("an output folder that cannot be created is a typed error")
    func unwritableOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: BatchError.self) { try OutputStore(folder: file.appendingPathComponent("out")) }
    }

    @Test("results are written whole, read back, and leave no temporary files")
    func atomicWrite() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try OutputStore(folder: folder)
        let result = FileResult(file: "a.txt", model: "m", key: "#1 …0001", chunks: [], summary: "s", attempts: 1, tokens: 3, seconds: 0.5)
        try store.write(result)
        #expect(store.finishedResult(for: "a.txt") == result)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.txt.json"])
        // A truncated result (a crash mid-write by some other tool) is not taken as done.
        try Data("{\"file\":".utf8).write(to: store.resultURL(for: "b.txt"))
        #expect(store.finishedResult(for: "b.txt") == nil)
    }
}
