import Foundation
import GatewayCore
import GeminiBatchKit
import NIOConcurrencyHelpers
import Testing

@Suite("Fail fast on a dead server")
struct DeadServerTests {
    @Test("the watch trips once, after the window, only when no attempt was ever answered")
    func watch() {
        let trips = NIOLockedValueBox<[Int]>([])
        let watch = ServerWatch(window: .seconds(10)) { failures, _ in trips.withLockedValue { $0.append(failures) } }
        let start = ContinuousClock.now
        watch.attemptStarted(at: start)
        watch.failed("timeout", at: start + .seconds(9))
        #expect(trips.withLockedValue { $0 }.isEmpty)
        watch.failed("timeout", at: start + .seconds(10))
        watch.failed("timeout", at: start + .seconds(11))
        #expect(trips.withLockedValue { $0 } == [2])

        let alive = ServerWatch(window: .seconds(10)) { _, _ in trips.withLockedValue { $0.append(-1) } }
        alive.attemptStarted(at: start)
        alive.answered()
        alive.failed("connection refused", at: start + .seconds(60))
        #expect(!trips.withLockedValue { $0 }.contains(-1))
    }

    @Test("nothing listening: the run stops with exit 2 and a message naming the base URL, not after every file", .timeLimit(.minutes(1)))
    func nothingListening() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try writeFiles(input, Dictionary(uniqueKeysWithValues: (1...10).map { ("f\($0).txt", "text \($0)") }))
        let baseURL = "http://127.0.0.1:\(try closedPort())"
        var dead = settings(input: input, output: root.appendingPathComponent("out"), baseURL: baseURL, keys: testKeys(2))
        dead.deadServerWindow = .milliseconds(500)
        let outcome = try await BatchApp.run(dead, log: { _ in })
        #expect(outcome.exitStatus == 2)
        let problem = try #require(outcome.serverProblem)
        #expect(problem.contains("no answer from \(baseURL)"))
        #expect(outcome.summary.interrupted?.hasPrefix("dead server") == true)
        #expect(outcome.summary.filesOK == 0)
        #expect(outcome.summary.filesNotStarted + outcome.summary.filesInterrupted.count + outcome.summary.filesFailed.count == 10)
        #expect(outcome.summary.filesNotStarted > 0)
    }

    @Test("a server that accepts and never answers: stopped after the first timeouts, exit 2", .timeLimit(.minutes(1)))
    func neverAnswers() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try writeFiles(input, Dictionary(uniqueKeysWithValues: (1...6).map { ("f\($0).txt", "text \($0)") }))
        let (socket, port) = try listeningSocket()   // the kernel accepts; nobody reads or answers
        defer { close(socket) }
        var dead = settings(input: input, output: root.appendingPathComponent("out"), baseURL: "http://127.0.0.1:\(port)", keys: testKeys(2))
        dead.idleTimeout = .seconds(1)
        dead.deadServerWindow = .milliseconds(500)
        let outcome = try await BatchApp.run(dead, log: { _ in })
        #expect(outcome.exitStatus == 2)
        #expect(outcome.serverProblem?.contains("no answer from http://127.0.0.1:\(port)") == true)
        #expect(outcome.summary.filesNotStarted > 0)
    }

    /// A socket listening on 127.0.0.1 that never accepts, and its port.
    func listeningSocket() throws -> (Int32, Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && listen(socket, 64) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard ready else {
            close(socket)
            throw ProcessTestError("cannot listen on a socket")
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port on 127.0.0.1 that was free a moment ago and has no listener now.
    func closedPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ProcessTestError("cannot bind a socket") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
