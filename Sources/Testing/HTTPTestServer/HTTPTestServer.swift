import Foundation
import Glibc

/// A small, hand-written HTTP/1.1 server on 127.0.0.1 for transport tests, including endpoints
/// that misbehave on purpose (close mid-body, malformed headers, never answer, ...).
///
/// One accept thread plus one thread per connection, plain POSIX sockets. Supports keep-alive
/// (HTTP/1.1 default, `Connection: close` honoured), request bodies framed by `Content-Length`
/// or `Transfer-Encoding: chunked`, and `Expect: 100-continue`.
///
/// Limits: request head 64 KiB (else 431 and close), request body 16 MiB (else 413 and close),
/// 30 s idle time on a connection, and every slow or misbehaving endpoint ends by itself
/// within 30 s, or as soon as `stop()` is called.
///
/// Endpoints (paths match without the query string):
/// - `ANY /echo`: 200 with the request body; `x-echo-method`, `x-echo-path` (with query) and
///   `x-echo-h-<lowercased name>` for every request header.
/// - `/status/{code}` (200...599): that status, body `status {code}` (none for 204 and 304).
/// - `/bytes/{n}`: n bytes, byte i = `UInt8(i % 251)` (n at most 64 MiB).
/// - `/stream/{n}?size=S&delay_ms=D`: chunked, n chunks of S bytes (default 16), chunk k filled
///   with `"a" + k % 26`, D ms between chunks (default 0).
/// - `/delay/{ms}`: waits (at most 30 s), then 200 `ok`.
/// - `/gzip`: `Content-Encoding: gzip` of `"hello gzip "` repeated 100 times.
/// - `/headers/many`: 50 headers `x-h-0 ... x-h-49: value-i`.
/// - Misbehaving, each closes the connection at its end:
///   - `/bad/close-mid-body`: `Content-Length: 1000`, 100 bytes, close.
///   - `/bad/malformed-headers`: `HTTP/1.1 200 OK\r\nthis line has no colon\r\n\r\nbody`, close.
///   - `/bad/garbage`: `\0\1hello\r\n\r\n`, close.
///   - `/bad/endless`: chunked, 1 KiB chunks as fast as the socket takes them, never finished.
///   - `/bad/no-answer`: reads the request, never writes, holds the connection.
///   - `/bad/http10-no-length`: `HTTP/1.0 200 OK`, no length, 5,000 × `x`, close.
///   - `/bad/slow-body`: `Content-Length: 10`, one byte every 500 ms.
/// - anything else: 404 `not found`.
///
/// A server is single-use: `start()` once, `stop()` any number of times.
public final class HTTPTestServer: Sendable {
    let state: Guarded<ServerState>

    /// Creates a server that is not listening yet; call `start()`.
    public init() {
        state = Guarded(ServerState())
    }

    deinit {
        stop()
    }

    /// Binds 127.0.0.1 on an ephemeral port, starts the accept thread and returns the port.
    ///
    /// - Throws: `HTTPTestServerError` if the server was already started or stopped, or a
    ///   socket call fails.
    @discardableResult
    public func start() throws -> Int {
        _ = ignoreSIGPIPE

        // Claim the server first so two concurrent `start()` calls cannot both bind.
        try state.withLock { state in
            guard state.phase == .idle else {
                throw HTTPTestServerError(
                    "start() called on a server that is \(state.phase == .running ? "running" : "stopped")")
            }
            state.phase = .starting
        }

        let listener: Int32
        let port: Int
        do {
            (listener, port) = try Self.bindLoopback()
        } catch {
            state.update { $0.phase = .stopped }
            throw error
        }

        let accepted = state.update { state -> Bool in
            guard state.phase == .starting else { return false }  // stop() raced us
            state.phase = .running
            state.listener = listener
            state.port = port
            state.liveThreads += 1
            return true
        }
        guard accepted else {
            close(listener)
            throw HTTPTestServerError("stop() was called while start() was running")
        }

        let state = self.state
        let thread = Thread { Self.acceptLoop(listener: listener, state: state) }
        thread.name = "HTTPTestServer.accept"
        thread.start()
        return port
    }

    /// The bound port, or 0 before `start()`.
    public var port: Int {
        state.withLock { $0.port }
    }

    /// `"http://127.0.0.1:PORT"`.
    public var baseURL: String {
        "http://127.0.0.1:\(port)"
    }

    /// How many requests were read completely (head and body), over the server's lifetime.
    /// Counted before the endpoint runs, so `/bad/no-answer` counts as soon as it is read.
    public var requestCount: Int {
        state.withLock { $0.requestCount }
    }

    /// Accepted connections whose socket is not closed yet.
    public var openConnections: Int {
        state.withLock { $0.connections.count }
    }

    /// Closes the listener and every connection (with `shutdown`, which wakes blocked reads,
    /// writes and waits), then waits up to 5 s for all server threads to finish. Idempotent and
    /// safe to call from any thread; a second call also waits for the threads.
    public func stop() {
        state.update { state in
            if state.phase != .stopped {
                state.phase = .stopped
                // The owning threads close these descriptors, after removing them from `state`
                // under this lock, so a descriptor seen here is never a reused number.
                if state.listener >= 0 {
                    shutdown(state.listener, Int32(SHUT_RDWR))
                }
                for descriptor in state.connections.values {
                    shutdown(descriptor, Int32(SHUT_RDWR))
                }
            }
        }
        _ = state.wait(seconds: 5) { $0.liveThreads == 0 }
    }

    // MARK: - Listener

    private static func bindLoopback() throws -> (Int32, Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw HTTPTestServerError("socket", errno: errno) }

        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // 127.0.0.1
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(listener)
            throw HTTPTestServerError("bind 127.0.0.1:0", errno: code)
        }
        guard listen(listener, 128) == 0 else {
            let code = errno
            close(listener)
            throw HTTPTestServerError("listen", errno: code)
        }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(listener, $0, &length)
            }
        }
        guard named == 0 else {
            let code = errno
            close(listener)
            throw HTTPTestServerError("getsockname", errno: code)
        }
        return (listener, Int(UInt16(bigEndian: address.sin_port)))
    }

    private static func acceptLoop(listener: Int32, state: Guarded<ServerState>) {
        defer {
            state.update { state in
                state.listener = -1
                close(listener)
                state.liveThreads -= 1
            }
        }

        while state.withLock({ $0.phase == .running }) {
            // poll with a timeout so the loop re-checks the phase even if `shutdown` on the
            // listening socket did not wake `accept`.
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 200) > 0 else { continue }

            let client = accept(listener, nil, nil)
            if client < 0 {
                switch errno {
                case EINTR, EAGAIN, EWOULDBLOCK, ECONNABORTED: continue
                default:
                    usleep(10_000)  // e.g. EMFILE, or EINVAL after shutdown: don't spin
                    continue
                }
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            Connection.configure(client)

            let id = state.update { state -> Int? in
                guard state.phase == .running else { return nil }
                let id = state.nextConnectionID
                state.nextConnectionID += 1
                state.connections[id] = client
                state.liveThreads += 1
                return id
            }
            guard let id else {
                close(client)
                return
            }

            let thread = Thread {
                Connection(descriptor: client, state: state).run()
                state.update { state in
                    // Removed and closed in one critical section: `stop()` never shuts down a
                    // reused descriptor, and `openConnections == 0` means every socket is closed.
                    state.connections[id] = nil
                    close(client)
                    state.liveThreads -= 1
                }
            }
            thread.name = "HTTPTestServer.connection.\(id)"
            thread.start()
        }
    }
}

/// A failure to start an `HTTPTestServer`.
public struct HTTPTestServerError: Error, CustomStringConvertible {
    /// What went wrong, with the `errno` text if a system call failed.
    public let description: String

    init(_ message: String, errno code: Int32? = nil) {
        if let code {
            description = "\(message) failed: \(String(cString: strerror(code))) (errno \(code))"
        } else {
            description = message
        }
    }
}

/// Everything the threads share, guarded by `HTTPTestServer.state`.
struct ServerState {
    enum Phase { case idle, starting, running, stopped }

    var phase = Phase.idle
    var listener: Int32 = -1
    var port = 0
    /// Open connection sockets by connection id.
    var connections: [Int: Int32] = [:]
    var nextConnectionID = 0
    /// The accept thread plus connection threads that have not finished.
    var liveThreads = 0
    var requestCount = 0
}

/// Writes to a socket whose peer has gone must fail with EPIPE, not kill the test process.
/// (`send` also passes `MSG_NOSIGNAL`; this covers anything else in the process.)
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()
