import Foundation
import GatewayCore

/// Where `gemini-batch` reads its settings: the process environment first, then a `.env` file
/// (``DotEnv``), so `GEMINI_API_KEY_1..N`, `GEMINI_API_KEY_<n>_PROJECT` and `GEMINI_BASE_URL`
/// (or `OPENAI_API_KEY_1..N`, … for an OpenAI-compatible API) may live in either. Values are
/// never printed; only variable names appear in messages.
public struct KeyEnvironment: Sendable {
    private let environment: [String: String]
    private let file: [String: String]
    /// The prefix of the numbered key variables (`GEMINI_API_KEY_` unless told otherwise).
    public var prefix = "GEMINI_API_KEY_"

    /// Reads `environment` and, if it exists, the `.env` file at `dotEnvPath`.
    /// - Throws: ``BatchError/configuration(_:)`` when the path is a folder, cannot be read, is
    ///   not UTF-8 text, or has a line that cannot be parsed (named by its number).
    public init(dotEnvPath: String = ".env", environment: [String: String] = ProcessInfo.processInfo.environment) throws(BatchError) {
        self.environment = environment
        let shown = Printable.path(dotEnvPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotEnvPath, isDirectory: &isDirectory) else {
            file = [:]
            return
        }
        if isDirectory.boolValue { throw .configuration("the .env path \(shown) is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: dotEnvPath) else {
            throw .configuration("cannot read \(shown): \(String(cString: strerror(errno)))")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .configuration("\(shown) is not UTF-8 text") }
        do {
            var values: [String: String] = [:]
            for entry in try DotEnv.parse(text) { values[entry.name] = entry.value }
            file = values
        } catch {
            throw .configuration("\(shown): \(error)")
        }
    }

    /// The value of the variable `name`, from the environment or the `.env` file.
    public func value(_ name: String) -> String? { environment[name] ?? file[name] }

    /// The keys, as the gateway loads them: `<prefix>1..N` up to the first gap.
    public var keySource: KeySource {
        let environment = environment, file = file
        return .environment(prefix: prefix, lookup: { environment[$0] ?? file[$0] })
    }

    /// Whether at least `<prefix>1` is set (to a non-blank value).
    public var hasKeys: Bool { isSet(1) }

    /// The number of keys read: `<prefix>1` up to the first gap.
    public var keyCount: Int {
        var count = 0
        while count < 100_000, isSet(count + 1) { count += 1 }
        return count
    }

    /// One warning when keys past a gap are set (`<prefix>3` with `<prefix>2` missing): they are
    /// ignored, and the warning names them and the missing one.
    public var keyGapWarning: String? {
        let numbers = Set(environment.keys).union(file.keys).compactMap { name -> Int? in
            guard name.hasPrefix(prefix) else { return nil }
            return Int(name.dropFirst(prefix.count)).flatMap { $0 > 0 && isSet($0) ? $0 : nil }
        }
        let gap = keyCount + 1
        let ignored = numbers.filter { $0 > gap }.sorted()
        guard !ignored.isEmpty else { return nil }
        return ignored.map { "\(prefix)\($0)" }.joined(separator: ", ")
            + " \(ignored.count == 1 ? "is" : "are") ignored: \(prefix)\(gap) is missing (keys are read from \(prefix)1 up to the first gap)"
    }

    private func isSet(_ number: Int) -> Bool { !(value("\(prefix)\(number)") ?? "").allSatisfy(\.isWhitespace) }
}
