import Foundation
import GatewayCore

/// Where requests go: scheme, authority and the base URL's path, parsed once.
struct Endpoint: Sendable, Hashable {
    let scheme: String
    let authority: String
    /// The base URL's path without a trailing slash (`/v1`, `/v1beta/openai`, or `""`).
    let pathPrefix: String

    /// Parses an absolute `http` or `https` URL without query, fragment or credentials.
    init(_ baseURL: String) throws(OpenAIError) {
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

    /// `{prefix}/{operation}`.
    func path(_ operation: String) -> String { "\(pathPrefix)/\(operation)" }
}
