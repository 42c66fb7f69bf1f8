import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// The transport benchmark. Modes (the first argument):
//   (none)                      the benchmark: starts the server child, measures, prints, writes JSON
//   serve                       the Hummingbird server (child process)
//   inflight CLIENT PORT N MS   N requests of MS ms at once, in a fresh process (child process)
// Options of the benchmark: --json PATH, --quick, --clients curl,ahc,urlsession, --rounds N,
// --in-flight N (0 skips it), --levels CONCURRENCY[:REQUESTS],… (default 1:3000,64:20000,1024:20480),
// --no-throughput, --time-limit SECONDS.
//
// All the logic lives in functions; the only top-level statement is the call at the bottom (see
// ProcessSupport.swift for the compiler crash that top-level async code caused).

// MARK: Throughput

struct Measurement {
    var latencies: [Double]
    var errors: Int
    var firstError: String?
    var seconds: Double
    var cpuSeconds: Double
}

/// Runs `total` requests with `concurrency` workers, each sending its next request when the last
/// one ended.
func measure(_ client: any BenchClient, concurrency: Int, total: Int, path: String) async -> Measurement {
    let clock = ContinuousClock()
    let cpuBefore = cpuSeconds()
    let start = clock.now
    let (latencies, errors, firstError) = await withTaskGroup(of: ([Double], Int, String?).self) { group in
        for worker in 0..<concurrency {
            // `total` split over the workers; the first `total % concurrency` do one more.
            let perWorker = total / concurrency + (worker < total % concurrency ? 1 : 0)
            group.addTask {
                var latencies: [Double] = []
                latencies.reserveCapacity(perWorker)
                var errors = 0
                var firstError: String?
                for _ in 0..<perWorker {
                    let began = clock.now
                    do {
                        _ = try await client.get(path)
                    } catch {
                        errors += 1
                        if firstError == nil { firstError = String(describing: error) }
                    }
                    latencies.append((clock.now - began).milliseconds)
                }
                return (latencies, errors, firstError)
            }
        }
        var all: [Double] = []
        all.reserveCapacity(total)
        var errors = 0
        var firstError: String?
        for await (latencies, failed, error) in group {
            all += latencies
            errors += failed
            firstError = firstError ?? error
        }
        return (all, errors, firstError)
    }
    return Measurement(
        latencies: latencies, errors: errors, firstError: firstError, seconds: (clock.now - start).seconds,
        cpuSeconds: cpuSeconds() - cpuBefore)
}

struct Row: Codable {
    var client: String
    var concurrency: Int
    var rounds: Int
    /// Requests over all rounds.
    var requests: Int
    /// The median of the rounds' rates.
    var requestsPerSecond: Double
    var roundRequestsPerSecond: [Double]
    /// Over the requests of all rounds.
    var p50ms: Double
    var p99ms: Double
    /// CPU time (user + system, every thread of this process) per request, median of the rounds.
    var cpuMicrosecondsPerRequest: Double
    var errors: Int
    var firstError: String?
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Every client at one concurrency, `rounds` times, the clients' order rotating each round so
/// that none always runs first or last (this machine may be busy with other work).
func throughput(clients: [String], concurrency: Int, total: Int, rounds: Int, port: Int) async throws -> [Row] {
    var measurements: [String: [Measurement]] = [:]
    for round in 0..<rounds {
        let order = (0..<clients.count).map { clients[($0 + round) % clients.count] }
        for name in order {
            let client = makeClient(name, connections: concurrency, port: port)
            // Warm-up: opens every connection the measured run will use.
            _ = await measure(client, concurrency: concurrency, total: max(200, 2 * concurrency), path: "/bytes/1024")
            measurements[name, default: []].append(await measure(client, concurrency: concurrency, total: total, path: "/bytes/1024"))
            try await client.shutdown()
        }
    }
    return clients.map { name in
        let runs = measurements[name] ?? []
        let latencies = runs.flatMap(\.latencies).sorted()
        let rates = runs.map { Double($0.latencies.count) / $0.seconds }
        return Row(
            client: makeClientName(name), concurrency: concurrency, rounds: runs.count, requests: latencies.count,
            requestsPerSecond: median(rates), roundRequestsPerSecond: rates.map { ($0 * 10).rounded() / 10 },
            p50ms: percentile(latencies, 0.5), p99ms: percentile(latencies, 0.99),
            cpuMicrosecondsPerRequest: median(runs.map { $0.cpuSeconds * 1e6 / Double(max($0.latencies.count, 1)) }),
            errors: runs.map(\.errors).reduce(0, +), firstError: runs.lazy.compactMap(\.firstError).first)
    }
}

func makeClientName(_ name: String) -> String {
    ["curl": "CurlTransport", "ahc": "AsyncHTTPClient", "urlsession": "URLSession"][name] ?? name
}

// MARK: In flight

struct InFlightRow: Codable {
    var client: String
    /// Requests started at once.
    var requests: Int
    /// The most delayed requests the server had in progress at once during this client's run.
    var serverPeakInFlight: Int?
    var delayMs: Int
    /// The child process before the client existed (runtime started, cooperative pool warm).
    var threadsBefore: Int
    var threadNamesBefore: String
    /// The most threads seen while the requests were in flight (sampled every 100 ms).
    var threadsMax: Int
    var threadNamesAtMax: String
    var rssMBBefore: Double
    var rssMBMax: Double
    var seconds: Double
    /// Each request's own time, start to end.
    var latencyP50ms: Double
    var latencyMaxms: Double
    var errors: Int
    var firstError: String?
}

/// In the `inflight` child: starts `count` requests of `delayMs` at once and samples threads and
/// RSS until they are all done.
func inFlightChild(_ name: String, port: Int, count: Int, delayMs: Int) async throws -> InFlightRow {
    // Start the cooperative pool's threads first, so the baseline has them and the difference
    // is the client's own: a few tasks that each keep a thread busy for a moment.
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<(4 * ProcessInfo.processInfo.activeProcessorCount) {
            group.addTask {
                let end = Date().addingTimeInterval(0.02)
                while Date() < end {}
            }
        }
    }
    let before = processStatus()
    let namesBefore = threadNames()
    let client = makeClient(name, connections: count, port: port)
    let finished = Shared(0)
    let sampled = Shared((threads: 0, rss: 0.0, names: [String: Int]()))
    let clock = ContinuousClock()
    let start = clock.now
    let (errors, firstError, latencies) = await withTaskGroup(of: (Int, String?, Double?).self) { group in
        for _ in 0..<count {
            group.addTask {
                defer { finished.update { $0 += 1 } }
                let began = clock.now
                do {
                    _ = try await client.get("/delay/\(delayMs)")
                    return (0, nil, (clock.now - began).milliseconds)
                } catch {
                    return (1, String(describing: error), (clock.now - began).milliseconds)
                }
            }
        }
        group.addTask {
            while finished.current < count {
                let status = processStatus()
                let names = status.threads > sampled.current.threads ? threadNames() : nil
                sampled.update { sample in
                    if let names, status.threads > sample.threads { (sample.threads, sample.names) = (status.threads, names) }
                    sample.rss = max(sample.rss, status.rssMB)
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (0, nil, nil)
        }
        var errors = 0
        var firstError: String?
        var latencies: [Double] = []
        for await (failed, error, latency) in group {
            errors += failed
            firstError = firstError ?? error
            if let latency { latencies.append(latency) }
        }
        return (errors, firstError, latencies.sorted())
    }
    let seconds = (clock.now - start).seconds
    try await client.shutdown()
    let sample = sampled.current
    return InFlightRow(
        client: client.name, requests: count, serverPeakInFlight: nil, delayMs: delayMs,
        threadsBefore: before.threads, threadNamesBefore: describe(namesBefore),
        threadsMax: sample.threads, threadNamesAtMax: describe(sample.names),
        rssMBBefore: before.rssMB, rssMBMax: sample.rss, seconds: seconds,
        latencyP50ms: percentile(latencies, 0.5), latencyMaxms: latencies.last ?? .nan, errors: errors, firstError: firstError)
}

/// A GET to the benchmark server from the parent (not from any client under test).
func serverGet(_ session: URLSession, port: Int, _ path: String) async throws -> String {
    let (data, _) = try await session.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    return String(decoding: data, as: UTF8.self)
}

/// Runs one client's in-flight test in a fresh child process.
func inFlight(_ name: String, port: Int, count: Int, delayMs: Int, children: Shared<[ChildProcess]>) async throws -> InFlightRow {
    let session = URLSession(configuration: .ephemeral)
    defer { session.invalidateAndCancel() }
    _ = try await serverGet(session, port: port, "/stats/reset")
    let child = try ChildProcess(arguments: ["inflight", name, "\(port)", "\(count)", "\(delayMs)"])
    children.update { $0.append(child) }
    // No watchdog thread inside the child (it would count as one of its threads): stopped from here.
    let timer = DispatchWorkItem { child.stop() }
    DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(120), execute: timer)
    let line = child.readLine(prefix: "RESULT ")
    timer.cancel()
    _ = child.wait(limit: 10)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    guard let line, var row = try? decoder.decode(InFlightRow.self, from: Data(line.utf8)) else {
        throw BenchError("the in-flight child for \(name) did not report (crashed or timed out; see its stderr above)")
    }
    let stats = try await serverGet(session, port: port, "/stats").split(separator: " ")
    row.serverPeakInFlight = stats.count == 2 ? Int(stats[1]) : nil
    return row
}

// MARK: Report

struct Machine: Codable {
    var cores: Int
    var kernel: String
    var loadAverageAtStart: String
    var loadAverageAtEnd: String
}

struct Report: Codable {
    var machine: Machine
    var throughput: [Row]
    var inFlight: [InFlightRow]
    var benchmarkProcessPeakRSSMB: Double
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func format(_ row: Row) -> String {
    let spread = row.roundRequestsPerSecond.count > 1
        ? String(format: "%.0f–%.0f", row.roundRequestsPerSecond.min()!, row.roundRequestsPerSecond.max()!) : "-"
    return pad(row.client, 16)
        + String(format: " %5d %9d %8.0f  ", row.concurrency, row.requests, row.requestsPerSecond)
        + pad(spread, 12)
        + String(format: " %8.2f %8.2f %9.1f %7d", row.p50ms, row.p99ms, row.cpuMicrosecondsPerRequest, row.errors)
}

// MARK: Main

struct Options {
    var jsonPath: String?
    var quick = false
    var clients = ["curl", "ahc", "urlsession"]
    var rounds = 3
    var inFlightCount = 10_000
    var timeLimit: TimeInterval = 900
    /// (concurrency, requests per round)
    var levels = [(1, 3000), (64, 20000), (1024, 20480)]

    init(_ arguments: [String]) throws {
        func value(_ flag: String) throws -> String? {
            // The last one wins, so `scripts/bench-transport.sh --json OTHER` overrides the script's own.
            guard let index = arguments.lastIndex(of: flag) else { return nil }
            guard index + 1 < arguments.count else { throw BenchError("\(flag) needs a value") }
            return arguments[index + 1]
        }
        quick = arguments.contains("--quick")
        if quick { levels = [(1, 500), (64, 4000)] }
        if arguments.contains("--no-throughput") { levels = [] }
        if let list = try value("--levels") {
            // CONCURRENCY[:REQUESTS],…
            levels = try list.split(separator: ",").map { item in
                let parts = item.split(separator: ":").map { Int($0) }
                guard let concurrency = parts.first ?? nil, concurrency > 0, parts.count <= 2 else { throw BenchError("bad --levels \(list)") }
                let requests = parts.count == 2 ? parts[1] : nil
                return (concurrency, max(requests ?? max(20 * concurrency, 3000), concurrency))
            }
        }
        if quick { (rounds, inFlightCount, timeLimit) = (1, 1_000, 240) }
        jsonPath = try value("--json")
        if let list = try value("--clients") { clients = list.split(separator: ",").map(String.init) }
        if let text = try value("--rounds") { rounds = max(1, Int(text) ?? rounds) }
        if let text = try value("--in-flight") { inFlightCount = max(0, Int(text) ?? inFlightCount) }
        if let text = try value("--time-limit") { timeLimit = TimeInterval(text) ?? timeLimit }
        for name in clients where !["curl", "ahc", "urlsession"].contains(name) {
            throw BenchError("unknown client \(name); use curl, ahc or urlsession")
        }
    }
}

func runBenchmark(_ options: Options, port: Int, children: Shared<[ChildProcess]>) async throws {
    let loadAtStart = loadAverage()
    printLine("server on http://127.0.0.1:\(port) (a child process); cores: \(ProcessInfo.processInfo.activeProcessorCount); "
        + "kernel \(kernelRelease()); load average \(loadAtStart)")
    printLine("")
    printLine("throughput: GET /bytes/1024, each worker sends its next request when its last one ends;")
    printLine("req/s is the median of \(options.rounds) round(s) (range shown), latencies over all rounds,")
    printLine("cpu = user+system CPU of the client process per request (the server's own CPU not included)")
    printLine("client            conc  requests    req/s  range           p50 ms   p99 ms  cpu µs/req  errors")
    var rows: [Row] = []
    for (concurrency, total) in options.levels {
        let levelRows = try await throughput(
            clients: options.clients, concurrency: concurrency, total: total, rounds: options.rounds, port: port)
        for row in levelRows { printLine(format(row)) }
        rows += levelRows
    }

    var inFlightRows: [InFlightRow] = []
    if options.inFlightCount > 0 {
        let delayMs = 3000
        printLine("")
        printLine("in flight: \(options.inFlightCount) GET /delay/\(delayMs) started at once (as many connections as requests allowed), "
            + "each client in a fresh process;")
        printLine("threads and RSS of that process: before the client existed → the most seen while the requests ran")
        printLine("client            requests  server peak  threads      RSS MB           seconds   p50 s   max s  errors")
        for name in options.clients {
            let row: InFlightRow
            do {
                row = try await inFlight(name, port: port, count: options.inFlightCount, delayMs: delayMs, children: children)
            } catch {
                printLine(pad(makeClientName(name), 16) + "  failed: \(error)")
                continue
            }
            inFlightRows.append(row)
            let peak = row.serverPeakInFlight.map(String.init) ?? "?"
            printLine(pad(row.client, 16)
                + String(format: " %9d ", row.requests) + String(repeating: " ", count: max(0, 12 - peak.count)) + peak
                + String(format: "  %3d → %-5d %6.1f → %-7.1f %8.1f %7.2f %7.2f %7d", row.threadsBefore, row.threadsMax,
                         row.rssMBBefore, row.rssMBMax, row.seconds, row.latencyP50ms / 1000, row.latencyMaxms / 1000, row.errors))
            printLine("    threads before: \(row.threadNamesBefore)")
            printLine("    threads at max: \(row.threadNamesAtMax)")
        }
    }

    printLine("")
    let errorRows = rows.filter { $0.errors > 0 }.map { ($0.client, "conc \($0.concurrency)", $0.firstError ?? "?") }
        + inFlightRows.filter { $0.errors > 0 }.map { ($0.client, "in flight", $0.firstError ?? "?") }
    for (client, what, error) in errorRows { printLine("first error, \(client) \(what): \(error)") }
    let status = processStatus()
    let loadAtEnd = loadAverage()
    printLine("benchmark process peak RSS \(String(format: "%.1f", status.peakMB)) MB; load average at the end \(loadAtEnd)")

    if let jsonPath = options.jsonPath {
        let report = Report(
            machine: Machine(
                cores: ProcessInfo.processInfo.activeProcessorCount, kernel: kernelRelease(),
                loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd),
            throughput: rows, inFlight: inFlightRows, benchmarkProcessPeakRSSMB: status.peakMB)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: URL(fileURLWithPath: jsonPath))
        printLine("wrote \(jsonPath)")
    }
}

func benchmarkMain() async throws {
    let arguments = CommandLine.arguments
    switch arguments.dropFirst().first {
    case "serve":
        exitWhenParentGoes()
        try await BenchServer.run()
    case "inflight":
        exitWhenParentGoes()
        guard arguments.count == 6, let port = Int(arguments[3]), let count = Int(arguments[4]), let delay = Int(arguments[5]) else {
            throw BenchError("usage: transport-bench inflight CLIENT PORT COUNT DELAY_MS")
        }
        let row = try await inFlightChild(arguments[2], port: port, count: count, delayMs: delay)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        printLine("RESULT " + String(decoding: try encoder.encode(row), as: UTF8.self))
    default:
        let options = try Options(arguments)
        let children = Shared<[ChildProcess]>([])
        let server = try ChildProcess(arguments: ["serve"])
        children.update { $0.append(server) }
        let stopAll: @Sendable () -> Void = { for child in children.current.reversed() { child.stop() } }
        startWatchdog(limit: options.timeLimit, what: "the benchmark", onTimeout: stopAll)
        guard let port = server.readLine(prefix: "PORT ").flatMap({ Int($0) }), port > 0 else {
            stopAll()
            throw BenchError("the benchmark server did not start")
        }
        do {
            try await runBenchmark(options, port: port, children: children)
        } catch {
            stopAll()
            throw error
        }
        stopAll()
    }
}

do {
    try await benchmarkMain()
} catch {
    printError("\(error)")
    exit(1)
}
