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

struct CurlClient: BenchClient {
    let name = "CurlTransport"
    let transport: CurlTransport
    let authority: String
    func get(_ path: String) async throws -> Int {
        let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: path))
        return try await transport.send(request).body.count
    }
    func shutdown() async throws { transport.shutdown() }
}

struct AHCClient: BenchClient {
    let name = "AsyncHTTPClient"
    let client: HTTPClient
    let base: String
    func get(_ path: String) async throws -> Int {
        let response = try await client.execute(HTTPClientRequest(url: base + path), timeout: .seconds(60))
        return try await response.body.collect(upTo: 1 << 24).readableBytes
    }
    func shutdown() async throws { try await client.shutdown() }
}

struct URLSessionClient: BenchClient {
    let name = "URLSession"
    let session: URLSession
    let base: String
    func get(_ path: String) async throws -> Int {
        let (data, _) = try await session.data(from: URL(string: base + path)!)
        return data.count
    }
    func shutdown() async throws { session.invalidateAndCancel() }
}

struct Row: Codable {
    var client: String
    var concurrency: Int
    var requests: Int
    var seconds: Double
    var requestsPerSecond: Double
    var p50ms: Double
    var p99ms: Double
    var errors: Int
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}

/// Runs `total` requests with `concurrency` workers; returns throughput and latency.
func measure(_ client: any BenchClient, concurrency: Int, total: Int, path: String) async -> Row {
    let clock = ContinuousClock()
    let start = clock.now
    let results = await withTaskGroup(of: ([Double], Int).self) { group in
        let perWorker = total / concurrency
        for _ in 0..<concurrency {
            group.addTask {
                var latencies: [Double] = []
                latencies.reserveCapacity(perWorker)
                var errors = 0
                for _ in 0..<perWorker {
                    let began = clock.now
                    do { _ = try await client.get(path) } catch { errors += 1 }
                    latencies.append((clock.now - began).milliseconds)
                }
                return (latencies, errors)
            }
        }
        var all: [Double] = []
        var errors = 0
        for await (latencies, failed) in group {
            all += latencies
            errors += failed
        }
        return (all.sorted(), errors)
    }
    let seconds = (clock.now - start).seconds
    return Row(
        client: client.name, concurrency: concurrency, requests: results.0.count, seconds: seconds,
        requestsPerSecond: Double(results.0.count) / seconds, p50ms: percentile(results.0, 0.5),
        p99ms: percentile(results.0, 0.99), errors: results.1)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}

/// Threads and resident memory of this process, from /proc.
func processStatus() -> (threads: Int, rssMB: Double, peakMB: Double) {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    func value(_ key: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
    return (Int(value("Threads")), value("VmRSS") / 1024, value("VmHWM") / 1024)
}

struct InFlightRow: Codable {
    var client: String
    var inFlight: Int
    var threadsDuring: Int
    var threadsBefore: Int
    var driverThreads: Int
    var rssMBDuring: Double
    var seconds: Double
    var errors: Int
}

/// Starts `count` slow requests at once, samples threads and RSS while they are all in flight.
func inFlight(_ client: any BenchClient, count: Int, driverThreads: Int) async -> InFlightRow {
    let before = processStatus()
    let clock = ContinuousClock()
    let start = clock.now
    let sampled = Sample()
    let errors = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<count {
            group.addTask { (try? await client.get("/delay/3000")) == nil ? 1 : 0 }
        }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(2000))
            let status = processStatus()
            sampled.set(status.threads, status.rssMB)
            return 0
        }
        return await group.reduce(0, +)
    }
    let (threads, rss) = sampled.get()
    return InFlightRow(
        client: client.name, inFlight: count, threadsDuring: threads, threadsBefore: before.threads,
        driverThreads: driverThreads, rssMBDuring: rss, seconds: (clock.now - start).seconds, errors: errors)
}

func fflushStdout() { fflush(stdout) }

// MARK: main

let arguments = CommandLine.arguments
if arguments.dropFirst().first == "serve" {
    try await BenchServer.run()
    exit(0)
}
let jsonPath = arguments.firstIndex(of: "--json").map { arguments[$0 + 1] }
let quick = arguments.contains("--quick")
let clients = arguments.firstIndex(of: "--clients").map { arguments[$0 + 1].split(separator: ",").map(String.init) }
    ?? ["curl", "ahc", "urlsession"]

// The server runs in a child process so that the client's threads and memory are its own.
let server = Process()
server.executableURL = URL(fileURLWithPath: arguments[0])
server.arguments = ["serve"]
let pipe = Pipe()
server.standardOutput = pipe
try server.run()
var port = 0
for line in pipe.fileHandleForReading.availableLines() {
    if line.hasPrefix("PORT ") { port = Int(line.dropFirst(5)) ?? 0; break }
}
guard port > 0 else { fatalError("the benchmark server did not start") }
let base = "http://127.0.0.1:\(port)"
let authority = "127.0.0.1:\(port)"
print("server on \(base); cores: \(ProcessInfo.processInfo.activeProcessorCount)")

func makeClient(_ name: String, connections: Int) -> any BenchClient {
    switch name {
    case "curl":
        return CurlClient(transport: CurlTransport(configuration: CurlConfiguration(maxConnectionsPerHost: connections)), authority: authority)
    case "ahc":
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        return AHCClient(client: HTTPClient(eventLoopGroupProvider: .singletonMultiThreadedEventLoopGroup, configuration: configuration), base: base)
    default:
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        return URLSessionClient(session: URLSession(configuration: configuration), base: base)
    }
}

var rows: [Row] = []
let levels = quick ? [(1, 500), (64, 4000)] : [(1, 3000), (64, 20000), (1024, 20480)]
print("client            conc   requests   req/s      p50 ms   p99 ms  errors")
for (concurrency, total) in levels {
    for name in clients {
        let client = makeClient(name, connections: max(concurrency, 1))
        _ = await measure(client, concurrency: min(concurrency, 64), total: 200, path: "/bytes/1024")  // warm-up
        let row = await measure(client, concurrency: concurrency, total: total, path: "/bytes/1024")
        try await client.shutdown()
        rows.append(row)
        print(String(format: "%-16@ %5d %10d %9.0f %9.2f %8.2f %6d", row.client as NSString, row.concurrency, row.requests,
                     row.requestsPerSecond, row.p50ms, row.p99ms, row.errors))
    }
}

var inFlightRows: [InFlightRow] = []
if !quick {
    for name in clients where name != "urlsession" {
        let client = makeClient(name, connections: 1024)
        let row = await inFlight(client, count: 10_000, driverThreads: name == "curl" ? 1 : 0)
        try await client.shutdown()
        inFlightRows.append(row)
        print("\(row.client): 10,000 in flight → \(row.threadsDuring) threads in the process (\(row.threadsBefore) before), "
            + "RSS \(String(format: "%.1f", row.rssMBDuring)) MB, \(String(format: "%.1f", row.seconds)) s, \(row.errors) errors")
    }
}
let status = processStatus()
print("process peak RSS \(String(format: "%.1f", status.peakMB)) MB")
server.terminate()

if let jsonPath {
    struct Report: Codable { var throughput: [Row]; var inFlight: [InFlightRow]; var peakRSSMB: Double }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(Report(throughput: rows, inFlight: inFlightRows, peakRSSMB: status.peakMB)).write(to: URL(fileURLWithPath: jsonPath))
    print("wrote \(jsonPath)")
}

extension FileHandle {
    /// Lines as they arrive, until end of file.
    func availableLines() -> AnySequence<String> {
        AnySequence {
            var buffer = Data()
            return AnyIterator {
                while true {
                    if let newline = buffer.firstIndex(of: 0x0A) {
                        let line = String(decoding: buffer[..<newline], as: UTF8.self)
                        buffer.removeSubrange(...newline)
                        return line
                    }
                    let more = self.availableData
                    if more.isEmpty { return nil }
                    buffer.append(more)
                }
            }
        }
    }
}

/// A sample taken by one task and read by another.
final class Sample: @unchecked Sendable {
    // @unchecked: `value` is only touched while holding `lock`.
    private let lock = NSLock()
    private var value: (Int, Double) = (0, 0)
    func set(_ threads: Int, _ rss: Double) { lock.withLock { value = (threads, rss) } }
    func get() -> (Int, Double) { lock.withLock { value } }
}
