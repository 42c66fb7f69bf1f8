import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Child processes, /proc readings and other plumbing. Everything that reads a pipe line by line
// is synchronous and lives here, outside any async context: top-level async code iterating
// `availableLines()` crashed the Swift 6.3 optimizer (SIL ownership verifier in CopyPropagation
// on `async_Main`) in `-c release`.

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data(("transport-bench: " + text + "\n").utf8))
}

/// A child process of this executable (`arguments` picks its mode), reading its stdout line by
/// line. The child gets a pipe as stdin and exits when that pipe closes (see
/// ``exitWhenParentGoes()``), so it cannot outlive this process, even if this one crashes.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched while holding `lock`; `lines` only by the one caller
    // that reads the output.
    private let lock = NSLock()
    private let process = Process()
    private let lifeline = Pipe()
    private let output = Pipe()
    private var lines: AnyIterator<String>

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        process.standardOutput = output
        process.standardInput = lifeline
        lines = output.fileHandleForReading.availableLines().makeIterator()
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Reads lines until one starts with `prefix`; returns the rest of it, or nil at end of file.
    func readLine(prefix: String) -> String? {
        while let line = lines.next() {
            if line.hasPrefix(prefix) { return String(line.dropFirst(prefix.count)) }
        }
        return nil
    }

    /// Stops the child (SIGTERM, SIGKILL after 2 s) and reaps it. Idempotent.
    func stop() {
        lock.withLock {
            try? lifeline.fileHandleForWriting.close()
            guard process.isRunning else { return }
            process.terminate()
            let deadline = Date().addingTimeInterval(2)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// Waits for the child to exit by itself, up to `limit`; kills it after that.
    func wait(limit: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let exited = !process.isRunning
        stop()
        return exited
    }
}

/// In a child: exit as soon as the parent goes away (its end of our stdin closes). A dispatch
/// read source rather than a thread of its own, so the in-flight child's thread count is the
/// runtime's and the client's only.
func exitWhenParentGoes() {
    let source = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .global())
    source.setEventHandler {
        var byte: UInt8 = 0
        if read(STDIN_FILENO, &byte, 1) <= 0 { exit(0) }
    }
    source.resume()
    lifelineSource = source
}

/// Keeps the stdin source alive; set once, at the start of a child, never read.
nonisolated(unsafe) var lifelineSource: (any DispatchSourceRead)?

/// Calls `onTimeout` and ends the process with status 2 if it still runs after `limit`.
func startWatchdog(limit: TimeInterval, what: String, onTimeout: @escaping @Sendable () -> Void) {
    let thread = Thread {
        Thread.sleep(forTimeInterval: limit)
        printError("\(what) exceeded \(Int(limit)) s, aborting")
        onTimeout()
        exit(2)
    }
    thread.start()
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

/// This process's threads by name (`/proc/self/task/*/comm`), e.g. `["NIO-ELT-0-#0": 1, …]`.
func threadNames() -> [String: Int] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    var names: [String: Int] = [:]
    for task in tasks {
        let name = ((try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        names[name, default: 0] += 1
    }
    return names
}

func describe(_ names: [String: Int]) -> String {
    names.sorted { $0.key < $1.key }.map { $0.value == 1 ? $0.key : "\($0.key) ×\($0.value)" }.joined(separator: ", ")
}

/// User + system CPU time of this process so far, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// `uname -r`.
func kernelRelease() -> String {
    var names = utsname()
    uname(&names)
    return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}

/// The 1-minute load average.
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
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

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}

/// A value written by one task or thread and read by another.
final class Shared<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched while holding `lock`.
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func update<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
    var current: Value { lock.withLock { value } }
}
