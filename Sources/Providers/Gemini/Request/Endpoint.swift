import Foundation
import GatewayCore

/// Where requests go: scheme, authority and an optional path prefix (a proxy's mount point),
/// parsed once from the configured base URL.
struct Endpoint: Sendable, Hashable {
    let scheme: String
    let authority: String
    /// The base URL's path without a trailing slash (`""` for the bare host).
    let pathPrefix: String

    /// Parses an absolute `http` or `https` URL without query, fragment or credentials.
    init(_ baseURL: String) throws(GeminiError) {
        guard let components = URLComponents(string: baseURL.trimmingWhitespace()),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil, components.user == nil, components.password == nil
        else { throw .invalidBaseURL(baseURL) }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.scheme = scheme
        self.authority = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        var prefix = components.percentEncodedPath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.pathPrefix = prefix
    }

    /// `{prefix}/{version}/{model}:{operation}` (streams add `?alt=sse`).
    func path(version: String, model: ModelName, operation: GeminiOperation) -> String {
        let query = operation == .streamGenerateContent ? "?alt=sse" : ""
        return "\(pathPrefix)/\(version)/\(model.path):\(operation.name)\(query)"
    }

    /// `{prefix}/{version}/{model}`.
    func modelPath(version: String, model: ModelName) -> String {
        "\(pathPrefix)/\(version)/\(model.path)"
    }

    /// `{prefix}/{version}/models?pageSize=…&pageToken=…`, the token percent-encoded.
    func modelsPath(version: String, pageSize: Int?, pageToken: String?) -> String {
        var query: [String] = []
        if let pageSize { query.append("pageSize=\(min(max(pageSize, 1), 1000))") }
        if let pageToken, !pageToken.isEmpty {
            let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            query.append("pageToken=\(pageToken.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")")
        }
        return "\(pathPrefix)/\(version)/models" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
