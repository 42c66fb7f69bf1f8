import CurlTransport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GatewayCore
import HTTPTestServer
import HTTPTypes
import Testing
import TransportConformance

@Suite("CurlTransport connections: reuse and HTTP/2 multiplexing", .timeLimit(.minutes(1)))
struct CurlConnectionTests {
    @Test("sequential requests reuse one keep-alive connection")
    func reuse() async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        try await CurlTransport.withTransport { transport in
            for _ in 0..<10 {
                let response = try await transport.send(
                    TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/bytes/100")))
                #expect(response.body.count == 100)
            }
            #expect(transport.statistics.connectionsOpened == 1)
            #expect(transport.statistics.exchangesFinished == 10)
        }
    }

    @Test("a burst to a fresh plain-HTTP host opens a connection per request at once, not one after another")
    func burstOnFreshHost() async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        try await CurlTransport.withTransport { transport in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/delay/300"))
                        return try await transport.send(request).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            // Were requests held back to wait for the first connection (CURLOPT_PIPEWAIT on
            // HTTP/1.1), they would reuse it one by one and open fewer connections.
            #expect(transport.statistics.connectionsOpened == 8)
        }
    }

    @Test("concurrent requests to an HTTP/2 server over TLS share one multiplexed connection")
    func http2Multiplexing() async throws {
        let nghttpd = "/usr/sbin/nghttpd"
        try #require(FileManager.default.isExecutableFile(atPath: nghttpd), "nghttpd is missing: run scripts/install-deps.sh (Debian package nghttp2-server)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("h2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let payload = Data((0..<20_000).map { UInt8($0 % 251) })
        try payload.write(to: folder.appendingPathComponent("payload.bin"))
        let key = folder.appendingPathComponent("key.pem").path
        let certificate = folder.appendingPathComponent("cert.pem").path
        try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])

        // Borrow a free port from the test server, then hand it to nghttpd.
        let probe = HTTPTestServer()
        let port = try probe.start()
        probe.stop()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: nghttpd)
        server.arguments = ["-a", "127.0.0.1", "-d", folder.path, "\(port)", key, certificate]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            // nghttpd ignores SIGTERM while serving; end it for sure.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }

        let configuration = CurlConfiguration(totalTimeout: .seconds(10), caCertificatePath: certificate)
        try await CurlTransport.withTransport(configuration: configuration) { transport in
            let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(port)", path: "/payload.bin"))
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await transport.send(request))?.status == 200
                if !ready { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(ready, "nghttpd did not start")
            let before = transport.statistics
            let bodies = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<20 { group.addTask { try await transport.send(request).body } }
                return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
            }
            #expect(bodies.count == 20 && bodies.allSatisfy { $0 == Array(payload) })
            let after = transport.statistics
            #expect(after.http2Exchanges - before.http2Exchanges == 20)
            #expect(after.connectionsOpened - before.connectionsOpened == 0, "the warm HTTP/2 connection should carry every request")
        }
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) failed")
    }
}
