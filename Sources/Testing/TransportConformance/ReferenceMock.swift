public import MockTransport
import GatewayCore
import HTTPTypes

/// A `MockTransport` that answers the conformance endpoints in memory, the way the real test
/// server does over the wire; requests to any other authority fail as refused connections.
public func referenceMock(authority: String = "conformance.test") -> MockTransport {
    let mock = MockTransport()
    mock.setHandler { request, _ in
        guard request.head.authority == authority else {
            return .failure(TransportError.connectionRefused("nothing listens at \(request.head.authority ?? "?")"))
        }
        return ReferenceRoutes.answer(request)
    }
    return mock
}

enum ReferenceRoutes {
    static func answer(_ request: TransportRequest) -> MockResponse {
        let fullPath = request.head.path ?? "/"
        let path = request.pathWithoutQuery
        let query = queryItems(fullPath)
        let segments = path.split(separator: "/").map(String.init)
        switch (segments.first, segments.count) {
        case ("echo", 1):
            var fields = HTTPFields()
            fields[.contentType] = "application/octet-stream"
            fields[HTTPField.Name("x-echo-method")!] = request.head.method.rawValue
            fields[HTTPField.Name("x-echo-path")!] = fullPath
            for field in request.head.headerFields {
                if let name = HTTPField.Name("x-echo-h-\(field.name.canonicalName)") { fields[name] = field.value }
            }
            return MockResponse(status: 200, headers: fields, chunks: [request.body])
        case ("status", 2):
            let code = Int(segments[1]) ?? 500
            return .text("status \(code)", status: code)
        case ("bytes", 2):
            let count = Int(segments[1]) ?? 0
            return MockResponse(status: 200, chunks: [(0..<count).map { UInt8($0 % 251) }])
        case ("stream", 2):
            let count = Int(segments[1]) ?? 0
            let size = Int(query["size"] ?? "") ?? 16
            let delay = Int(query["delay_ms"] ?? "") ?? 0
            let chunks = (0..<count).map { index in Array(repeating: UInt8(ascii: "a") + UInt8(index % 26), count: size) }
            let response = MockResponse(status: 200, chunks: chunks)
            return delay > 0 ? response.pacedChunks(every: .milliseconds(delay)) : response
        case ("delay", 2):
            return MockResponse.text("ok").delayed(by: .milliseconds(Int(segments[1]) ?? 0))
        case ("gzip", 1):
            return .text(String(repeating: "hello gzip ", count: 100))
        case ("headers", 2) where segments[1] == "many":
            var fields = HTTPFields()
            for index in 0..<50 { fields[HTTPField.Name("x-h-\(index)")!] = "value-\(index)" }
            return MockResponse(status: 200, headers: fields)
        default:
            return .text("not found", status: 404)
        }
    }

    static func queryItems(_ path: String) -> [String: String] {
        guard let mark = path.firstIndex(of: "?") else { return [:] }
        var items: [String: String] = [:]
        for pair in path[path.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            items[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return items
    }
}
