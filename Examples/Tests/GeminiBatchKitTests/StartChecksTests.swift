import Foundation
import GatewayCore
import GeminiBatchKit
import Testing

@Suite("Prompt templates are checked at start")
struct PromptValidationTests {
    @Test("a chunk prompt without exactly one well-formed {chunk} is refused, naming the culprit",
          arguments: [
            ("Summarise {CHUNK}", "{CHUNK}"), ("Summarise { chunk }", "{ chunk }"), ("Unbalanced {chunk", "unclosed"),
            ("No placeholder at all", "no {chunk}"), ("{chunk} and {chunk}", "2 times"), ("{chunk} in {lang}", "{lang}"),
          ])
    func refused(prompt: String, named: String) {
        do {
            try PromptTemplate(prompt).validate(required: "chunk", allowed: PromptTemplate.chunkPlaceholders)
            Issue.record("accepted \(prompt)")
        } catch {
            #expect(error.description.contains(named))
        }
    }

    @Test("the defaults, all known placeholders and {{ }} escapes are accepted; escapes render as single braces")
    func accepted() throws {
        try PromptTemplate.defaultChunk.validate(required: "chunk", allowed: PromptTemplate.chunkPlaceholders)
        try PromptTemplate.defaultSummary.validate(required: "answers", allowed: PromptTemplate.summaryPlaceholders)
        let json = PromptTemplate("Answer as {{\"summary\": …}} for part {index}/{count} of {file}: {chunk}")
        try json.validate(required: "chunk", allowed: PromptTemplate.chunkPlaceholders)
        #expect(json.render(["index": "1", "count": "2", "file": "f", "chunk": "c"]) == "Answer as {\"summary\": …} for part 1/2 of f: c")
    }

    @Test("a bad prompt stops the run before anything is read or asked (a configuration error)")
    func runRefused() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        var bad = settings(input: root, output: root.appendingPathComponent("out"), baseURL: "http://127.0.0.1:9", keys: testKeys(1))
        bad.job.chunkPrompt = PromptTemplate("Summarise {CHUNK}")
        do {
            _ = try await BatchApp.run(bad, log: { _ in })
            Issue.record("ran")
        } catch let error as BatchError {
            #expect(error.description.contains("--prompt") && error.description.contains("{CHUNK}"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }
}

@Suite("Folders, URLs and models are checked at start")
struct StartChecksTests {
    @Test("an output folder equal to or inside the input folder is refused, also through a symlink")
    func outputInsideInput() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try writeFiles(input, ["a.txt": "x"])
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("alias"), withDestinationURL: input)
        for output in [input, input.appendingPathComponent("out"), root.appendingPathComponent("alias/deeper/out"),
                       URL(fileURLWithPath: input.path + "/./")] {
            #expect(throws: BatchError.self) { try StartChecks.outputOutsideInput(input: input, output: output) }
        }
        #expect(throws: Never.self) { try StartChecks.outputOutsideInput(input: input, output: root.appendingPathComponent("in-out")) }
        #expect(throws: Never.self) { try StartChecks.outputOutsideInput(input: input, output: root.appendingPathComponent("out")) }
    }

    @Test("base URLs that are not http(s) with a host are refused with a message naming them",
          arguments: ["notaurl", "ftp://example.com", "file:///etc/passwd", "http://", "https://h/?q=1", "https://user:pw@h"])
    func badBaseURL(url: String) {
        do {
            try StartChecks.baseURL(url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.description.contains("--base-url"))
        }
    }

    @Test("http and https base URLs with a host pass")
    func goodBaseURL() throws {
        try StartChecks.baseURL("https://generativelanguage.googleapis.com")
        try StartChecks.baseURL("http://127.0.0.1:8080/proxy")
    }

    @Test("model names with paths, queries or spaces are refused; Gemini's names pass")
    func models() throws {
        for bad in ["../../x?y=1", "", "gemini 2.5", "models/", "a/b", "gemini-2.5-flash#x"] {
            #expect(throws: BatchError.self) { try StartChecks.model(bad) }
        }
        try StartChecks.model("gemini-2.5-flash-lite")
        try StartChecks.model("models/gemini-2.5-pro")
    }

    @Test("a --summary-json that cannot be written is refused at start: missing folder, a folder, an unwritable folder")
    func summaryPath() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: BatchError.self) { try StartChecks.summaryWritable(root.appendingPathComponent("missing/s.json")) }
        #expect(throws: BatchError.self) { try StartChecks.summaryWritable(root) }
        try StartChecks.summaryWritable(root.appendingPathComponent("s.json"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("s.json").path))
    }
}

@Suite(".env files and key gaps")
struct DotEnvTests {
    @Test("quotes, export, comments and spaces around = are read as people write them")
    func parses() throws {
        let text = """
            # keys
            export GEMINI_API_KEY_1="quoted value"
            GEMINI_API_KEY_2 = spaced # a comment
            GEMINI_API_KEY_3='single # not a comment'
              GEMINI_BASE_URL=http://127.0.0.1:1#frag
            ESCAPED="a\\"b\\\\c\\nd" # after
            EMPTY=

            """
        let values = Dictionary(try DotEnv.parse(text).map { ($0.name, $0.value) }) { _, last in last }
        #expect(values["GEMINI_API_KEY_1"] == "quoted value")
        #expect(values["GEMINI_API_KEY_2"] == "spaced")
        #expect(values["GEMINI_API_KEY_3"] == "single # not a comment")
        #expect(values["GEMINI_BASE_URL"] == "http://127.0.0.1:1#frag")
        #expect(values["ESCAPED"] == "a\"b\\c\nd")
        #expect(values["EMPTY"] == "")
    }

    @Test("a line that cannot be parsed is an error naming its line number",
          arguments: [("A=1\njust words\n", 2), ("A=\"open\n", 1), ("OK=1\n\n1BAD=2", 3), ("A='x' trailing", 1), ("export\n", 1)])
    func refuses(text: String, line: Int) {
        do {
            _ = try DotEnv.parse(text)
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.description.hasPrefix("line \(line):"))
        }
    }

    @Test("a .env file overrides nothing in the environment; a malformed one is a configuration error naming the line")
    func environment() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent(".env")
        try Data("export GEMINI_API_KEY_1=\"from-file\"\nGEMINI_API_KEY_2=two\n".utf8).write(to: file)
        let environment = try KeyEnvironment(dotEnvPath: file.path, environment: ["GEMINI_API_KEY_2": "from-env"])
        #expect(environment.value("GEMINI_API_KEY_1") == "from-file")
        #expect(environment.value("GEMINI_API_KEY_2") == "from-env")
        #expect(environment.keyCount == 2)
        try Data("GEMINI_API_KEY_1=ok\noops\n".utf8).write(to: file)
        let malformed = #expect(throws: BatchError.self) { try KeyEnvironment(dotEnvPath: file.path, environment: [:]) }
        #expect(malformed?.description.contains("line 2") == true)
        let folder = #expect(throws: BatchError.self) { try KeyEnvironment(dotEnvPath: root.path, environment: [:]) }
        #expect(folder?.description.contains("is a folder") == true)
        #expect(try KeyEnvironment(dotEnvPath: root.appendingPathComponent("missing").path, environment: [:]).keyCount == 0)
    }

    @Test("keys past a gap are warned about by name, without their values")
    func gaps() throws {
        let environment = try KeyEnvironment(dotEnvPath: "/nonexistent/.env", environment: [
            "GEMINI_API_KEY_1": "secret-one", "GEMINI_API_KEY_3": "secret-three", "GEMINI_API_KEY_4": "secret-four",
            "GEMINI_API_KEY_3_PROJECT": "p",
        ])
        #expect(environment.keyCount == 1)
        let warning = try #require(environment.keyGapWarning)
        #expect(warning.contains("GEMINI_API_KEY_3, GEMINI_API_KEY_4") && warning.contains("GEMINI_API_KEY_2 is missing"))
        #expect(!warning.contains("secret"))
        #expect(try KeyEnvironment(dotEnvPath: "/nonexistent/.env", environment: ["GEMINI_API_KEY_1": "a", "GEMINI_API_KEY_2": "b"]).keyGapWarning == nil)
    }
}
