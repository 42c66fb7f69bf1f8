import AsyncHTTPClient
import CurlTransport
import Foundation
import GatewayCore
import HTTPTypes
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One client under test: sends GET `path` and returns the body size.
protocol BenchClient: Sendable {
    var name: String { get }
    func get(_ path: String) async throws -> Int
    func shutdown() async throws
}

struct BadStatus: Error, CustomStringConvertible {
    var status: Int
    var description: String { "HTTP status \(status)" }
}

struct CurlClient: BenchClient {
    let name = "CurlTransport"
    let transport: CurlTransport
    let authority: String
    func get(_ path: String) async throws -> Int {
        let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: path))
        let response = try await transport.send(request)
        guard response.head.status.code == 200 else { throw BadStatus(status: response.head.status.code) }
        return response.body.count
    }
    func shutdown() async throws { transport.shutdown() }
}

struct AHCClient: BenchClient {
    let name = "AsyncHTTPClient"
    let client: HTTPClient
    let base: String
    func get(_ path: String) async throws -> Int {
        let response = try await client.execute(HTTPClientRequest(url: base + path), timeout: .seconds(60))
        let count = try await response.body.collect(upTo: 1 << 24).readableBytes
        guard response.status.code == 200 else { throw BadStatus(status: Int(response.status.code)) }
        return count
    }
    func shutdown() async throws { try await client.shutdown() }
}

struct URLSessionClient: BenchClient {
    let name = "URLSession"
    let session: URLSession
    let base: String
    func get(_ path: String) async throws -> Int {
        let (data, response) = try await session.data(from: URL(string: base + path)!)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else { throw BadStatus(status: status) }
        return data.count
    }
    func shutdown() async throws { session.invalidateAndCancel() }
}

/// `name` is one of `curl`, `ahc`, `urlsession`; `connections` caps connections to the server.
func makeClient(_ name: String, connections: Int, port: Int) -> any BenchClient {
    let authority = "127.0.0.1:\(port)"
    let base = "http://" + authority
    switch name {
    case "curl":
        // A 60 s cap on every request, like the other two clients (AHC's execute timeout, URLSession's default).
        let configuration = CurlConfiguration(totalTimeout: .seconds(60), maxConnectionsPerHost: connections)
        return CurlClient(transport: CurlTransport(configuration: configuration), authority: authority)
    case "ahc":
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        return AHCClient(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration), base: base)
    case "urlsession":
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        return URLSessionClient(session: URLSession(configuration: configuration), base: base)
    default:
        fatalError("unknown client \(name); use curl, ahc or urlsession")
    }
}
