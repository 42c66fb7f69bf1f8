#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a gateway's keys come from: the environment, or an explicit list in code.
public struct KeySource: Sendable {
    /// The raw material of one key, before validation. Prints masked, like ``APIKey``.
    public struct Entry: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// The key text.
        public var secret: String
        /// The project (quota group) the key belongs to, if declared.
        public var project: String?
        /// A display label; `nil` takes the key's position (`#1`, `#2`, …).
        public var label: String?
        /// An entry for `secret`, with an optional project and label.
        public init(secret: String, project: String? = nil, label: String? = nil) {
            self.secret = secret
            self.project = project
            self.label = label
        }

        /// The entry's label, masked form and project; never its secret.
        public var description: String {
            APIKey(secret: secret, id: KeyID(0), project: project, label: label ?? "entry").description
        }
        /// The `description`, wrapped as `KeySource.Entry(…)`.
        public var debugDescription: String { "KeySource.Entry(\(description))" }
        /// Shows `dump` and debuggers only the masked `description`.
        public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
    }

    let entries: @Sendable () -> [Entry]
    let origin: String

    /// Keys given in code.
    public static func list(_ secrets: [String], project: String? = nil) -> KeySource {
        KeySource(entries: { secrets.map { Entry(secret: $0, project: project) } }, origin: "explicit list")
    }

    /// Keys given in code, each with its own project and label.
    public static func entries(_ entries: [Entry]) -> KeySource {
        KeySource(entries: { entries }, origin: "explicit list")
    }

    /// `PREFIX1`, `PREFIX2`, … read in order, stopping at the first gap (as the original design
    /// does); `PREFIX<n>_PROJECT` declares the key's project (its quota group).
    /// - Parameters:
    ///   - prefix: The variable prefix, `GEMINI_API_KEY_` by default.
    ///   - lookup: A lookup function; the process environment by default.
    public static func environment(
        prefix: String = "GEMINI_API_KEY_",
        lookup: @escaping @Sendable (String) -> String? = KeySource.processEnvironment
    ) -> KeySource {
        KeySource(entries: {
            var found: [Entry] = []
            var index = 1
            while let raw = lookup("\(prefix)\(index)") {
                let project = lookup("\(prefix)\(index)_PROJECT").flatMap { value -> String? in
                    let trimmed = value.trimmingWhitespace()
                    return trimmed.isEmpty ? nil : trimmed
                }
                found.append(Entry(secret: raw, project: project, label: "#\(index)"))
                index += 1
            }
            return found
        }, origin: "environment \(prefix)1…N")
    }

    /// Reads one variable of the process environment.
    @Sendable public static func processEnvironment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// The keys a gateway runs with, after trimming, dropping empties and duplicates.
public struct KeySet: Sendable {
    /// The usable keys, numbered from 0 in load order.
    public let keys: [APIKey]
    /// Human-readable notes about entries that were dropped (never containing key text).
    public let warnings: [String]

    /// Validates raw entries.
    /// - Throws: ``ConfigurationError/noKeys(_:)`` when nothing usable remains.
    public init(loading source: KeySource) throws(ConfigurationError) {
        var keys: [APIKey] = []
        var warnings: [String] = []
        var seen: [String: String] = [:]  // secret -> label of first occurrence
        var labels: Set<String> = []
        for (position, entry) in source.entries().enumerated() {
            let label = entry.label ?? "#\(position + 1)"
            let secret = entry.secret.trimmingWhitespace()
            if secret.isEmpty {
                warnings.append("key \(label) is empty and was skipped")
                continue
            }
            if secret.contains(where: { $0.isWhitespace || $0.isNewline }) {
                warnings.append("key \(label) contains whitespace inside it and was skipped")
                continue
            }
            if let first = seen[secret] {
                warnings.append("key \(label) duplicates key \(first) and was dropped")
                continue
            }
            seen[secret] = label
            let project = entry.project.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
            var uniqueLabel = label
            while labels.contains(uniqueLabel) { uniqueLabel += "'" }
            labels.insert(uniqueLabel)
            keys.append(APIKey(secret: secret, id: KeyID(keys.count), project: project, label: uniqueLabel))
        }
        guard !keys.isEmpty else { throw .noKeys(source.origin) }
        self.keys = keys
        self.warnings = warnings
    }
}

extension String {
    /// The text without leading and trailing whitespace and newlines (shared by this package's
    /// modules; Foundation's `trimmingCharacters` would pull Foundation into the core).
    package func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace || first.isNewline { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace || last.isNewline { slice.removeLast() }
        return String(slice)
    }
}
