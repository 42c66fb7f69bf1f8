import Foundation

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

    /// `{prefix}/{version}/{model}:{operation}`.
    func path(version: String, model: ModelName, operation: GeminiOperation) -> String {
        "\(pathPrefix)/\(version)/\(model.path):\(operation.name)"
    }
}
