/// Where a request goes, parsed from its method and target (`/v1beta/models/m:op?alt=sse`).
struct Route: Sendable, Equatable {
    enum Target: Sendable, Equatable {
        /// An API method; `model` is the id without `models/` (nil for the models list).
        case api(version: String, operation: Operation, model: String?)
        /// An endpoint of the OpenAI-compatible surface under `/v1beta/openai/`.
        case openAI(OpenAIEndpoint)
        case audit
        case reset
        /// No such method: 404.
        case unknown
    }

    var target: Target
    /// Decoded query parameters, in order.
    var query: [(String, String)]

    static func == (lhs: Route, rhs: Route) -> Bool {
        lhs.target == rhs.target && lhs.query.map { [$0.0, $0.1] } == rhs.query.map { [$0.0, $0.1] }
    }

    /// The first value of a query parameter.
    func parameter(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    init(method: String, uri: String) {
        let (path, queryText) = Self.split(uri)
        query = Self.parseQuery(queryText)
        target = Self.target(method: method.uppercased(), path: path)
    }

    private static func split(_ uri: String) -> (Substring, Substring) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri[...], "") }
        return (uri[..<mark], uri[uri.index(after: mark)...])
    }

    private static func target(method: String, path: Substring) -> Target {
        switch (method, path) {
        case ("GET", "/emulator/audit"): return .audit
        case ("POST", "/emulator/reset"): return .reset
        default: break
        }
        if let endpoint = OpenAIEndpoint(method: method, path: path) { return .openAI(endpoint) }
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard let version = segments.popFirst(), version == "v1beta" || version == "v1",
            segments.popFirst() == "models"
        else { return .unknown }
        let rest = segments.joined(separator: "/")
        let operation: Operation
        let model: String?
        if rest.isEmpty {
            (operation, model) = (.listModels, nil)
        } else if let colon = rest.lastIndex(of: ":") {
            guard let parsed = Operation(rawValue: String(rest[rest.index(after: colon)...])), parsed.httpMethod == "POST" else { return .unknown }
            (operation, model) = (parsed, percentDecoded(rest[..<colon]))
        } else {
            (operation, model) = (.getModel, percentDecoded(rest[...]))
        }
        guard method == operation.httpMethod, model.map({ !$0.isEmpty && !$0.contains("/") }) ?? true else { return .unknown }
        return .api(version: String(version), operation: operation, model: model)
    }

    private static func parseQuery(_ text: Substring) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (percentDecoded(parts[0]), parts.count > 1 ? percentDecoded(parts[1]) : "")
        }
    }

    /// `%XX` and `+` decoding; malformed escapes stay as they are.
    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
