import Foundation
import GeminiBatchKit
import Testing

@Suite("Names are printed safely")
struct TerminalSafetyTests {
    @Test("control characters, newlines and bidi overrides in names are escaped; ordinary text is untouched")
    func escaping() {
        #expect(Printable.escaped("ctrl\u{1B}[31mred\u{07}.txt") == "ctrl\\u{1B}[31mred\\u{7}.txt")
        #expect(Printable.escaped("two\nlines") == "two\\u{A}lines")
        #expect(Printable.escaped("evil\u{202E}txt.exe") == "evil\\u{202E}txt.exe")
        #expect(Printable.escaped("héllo wörld 👋🏽.txt") == "héllo wörld 👋🏽.txt")
        #expect(!Printable.escaped("a\u{9B}b").unicodeScalars.contains { $0.value == 0x9B })
    }

    @Test("a file named with escapes and a newline never reaches the log raw")
    func logLines() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try writeFiles(input, ["bad\u{1B}[31m\nname.txt": "some text"])
        let keys = testKeys(1)
        let lines = LogLines()
        _ = try await GeminiEmulatorRun.run(input: input, output: root.appendingPathComponent("out"), keys: keys, log: lines.append)
        #expect(!lines.all.isEmpty)
        #expect(lines.all.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\n") })
        #expect(lines.all.contains { $0.contains("bad\\u{1B}[31m\\u{A}name.txt") })
    }

    @Test("a symlink loop is called a symlink loop, a dangling link a broken link")
    func links() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop-a").path, withDestinationPath: "loop-b")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop-b").path, withDestinationPath: "loop-a")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("dangling").path, withDestinationPath: "/nonexistent/x")
        let reasons = Dictionary(uniqueKeysWithValues: try InputScanner().scan(folder).skipped.map { ($0.file, $0.reason) })
        #expect(reasons["loop-a"] == "unreadable: a symlink loop")
        #expect(reasons["dangling"] == "unreadable: a broken link")
    }
}
