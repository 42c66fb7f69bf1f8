import Glibc

/// Limits shared by the connection code.
enum Limits {
    /// Largest request head (request line plus headers) accepted.
    static let maxHeadBytes = 64 * 1024
    /// Largest request body accepted, either framing.
    static let maxBodyBytes = 16 * 1024 * 1024
    /// How long a connection may sit idle, and how long any one read, write or misbehaving
    /// endpoint may take.
    static let timeout = Duration.seconds(30)
    /// Socket-level read and write timeout, so blocked calls wake up to re-check the server phase
    /// and deadlines even if `shutdown` somehow did not wake them.
    static let socketPollMilliseconds = 250
}

/// Why reading a request stopped.
enum ReadError: Error {
    /// Peer closed, socket error, timeout or server stopped: close without answering.
    case closed
    /// Answer with this status and close.
    case reject(status: Int, message: String)
}

/// One parsed request.
struct Request {
    var method: String
    /// The request target as sent, query included.
    var target: String
    var minorVersion: Int
    /// Header fields in order, names as sent.
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []

    /// The target without the query string.
    var path: Substring {
        target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
    }

    /// Query parameters (no percent-decoding; the first value wins).
    var query: [String: String] {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return [:] }
        var result: [String: String] = [:]
        for pair in parts[1].split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(keyValue[0])
            if result[key] == nil {
                result[key] = keyValue.count == 2 ? String(keyValue[1]) : ""
            }
        }
        return result
    }

    /// Every value of the header `name` (case-insensitive).
    func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// The comma-separated tokens of every `name` header, lowercased and trimmed.
    func tokens(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }.map { $0.trimmed.lowercased() }.filter { !$0.isEmpty }
    }

    /// HTTP/1.1 keeps the connection unless `Connection: close`; HTTP/1.0 only with
    /// `Connection: keep-alive`.
    var wantsKeepAlive: Bool {
        let connection = tokens("connection")
        if connection.contains("close") { return false }
        return minorVersion >= 1 || connection.contains("keep-alive")
    }
}

/// One accepted socket: reads requests, dispatches them, writes responses. Used by one thread only.
final class Connection {
    let descriptor: Int32
    let state: Guarded<ServerState>
    /// Received bytes not consumed yet start at `readIndex`.
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(descriptor: Int32, state: Guarded<ServerState>) {
        self.descriptor = descriptor
        self.state = state
    }

    /// Socket options for an accepted connection: short kernel timeouts (see `Limits`), no Nagle.
    static func configure(_ descriptor: Int32) {
        var timeout = timeval(tv_sec: 0, tv_usec: Limits.socketPollMilliseconds * 1000)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
        var yes: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    var isStopped: Bool {
        state.withLock { $0.phase == .stopped }
    }

    /// Sleeps `milliseconds`, waking early if the server stops.
    /// - Returns: `false` if the server stopped.
    func sleep(milliseconds: Int) -> Bool {
        !state.wait(seconds: Double(milliseconds) / 1000) { $0.phase == .stopped }
    }

    // MARK: - Request loop

    /// Serves requests until the connection should close, then half-closes it gracefully.
    /// The caller closes the descriptor.
    func run() {
        while true {
            let request: Request
            do throws(ReadError) {
                request = try readRequest()
            } catch {
                if case .reject(let status, let message) = error {
                    _ = respond(to: nil, status: status, body: Array("\(message)\n".utf8), keepAlive: false)
                }
                break
            }
            state.withLock { $0.requestCount += 1 }
            guard Routes.handle(request, on: self) else { break }
        }
        lingeringClose()
    }

    /// Sends FIN, then drains input briefly: closing a socket with unread input makes the kernel
    /// send RST, which can destroy response bytes the peer has not read yet.
    private func lingeringClose() {
        shutdown(descriptor, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            let received = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received > 0 { continue }
            if received < 0, errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK {
                if isStopped { return }
                continue
            }
            return
        }
    }

    private func readRequest() throws(ReadError) -> Request {
        compactBuffer()
        let idleDeadline = ContinuousClock.now + Limits.timeout
        // Robustness (RFC 9112 §2.2): ignore empty lines before the request line.
        while true {
            while readIndex < buffer.count, buffer[readIndex] == UInt8(ascii: "\r") || buffer[readIndex] == UInt8(ascii: "\n") {
                readIndex += 1
            }
            if readIndex < buffer.count { break }
            try fill(until: idleDeadline)
        }

        let deadline = ContinuousClock.now + Limits.timeout
        let headEnd = try readHead(until: deadline)
        let head = String(decoding: buffer[readIndex..<headEnd], as: UTF8.self)
        readIndex = headEnd + 4
        var request = try parseHead(head)

        let transferCodings = request.tokens("transfer-encoding")
        let lengths = request.values("content-length")
        if !transferCodings.isEmpty {
            guard transferCodings.last == "chunked" else {
                throw .reject(status: 501, message: "unsupported transfer-encoding")
            }
            try sendContinueIfExpected(request)
            request.body = try readChunkedBody(until: deadline)
        } else if !lengths.isEmpty {
            let distinct = Set(lengths.flatMap { $0.split(separator: ",") }.map { $0.trimmed })
            guard distinct.count == 1, let text = distinct.first, !text.isEmpty,
                text.allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(text)
            else {
                throw .reject(status: 400, message: "bad content-length")
            }
            guard length <= Limits.maxBodyBytes else {
                throw .reject(status: 413, message: "request body too large")
            }
            if length > 0 {
                try sendContinueIfExpected(request)
                request.body = try readExactly(length, until: deadline)
            }
        }
        return request
    }

    /// Returns the index of the `\r\n\r\n` that ends the head.
    private func readHead(until deadline: ContinuousClock.Instant) throws(ReadError) -> Int {
        var searchFrom = readIndex
        while true {
            if buffer.count - searchFrom >= 4 {
                for index in searchFrom...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    guard index - readIndex <= Limits.maxHeadBytes else { break }
                    return index
                }
                searchFrom = buffer.count - 3
            }
            if buffer.count - readIndex > Limits.maxHeadBytes + 4 {
                throw .reject(status: 431, message: "request head too large")
            }
            try fill(until: deadline)
        }
    }

    private func parseHead(_ head: String) throws(ReadError) -> Request {
        // "\r\n" is one Character (grapheme cluster), so split on it and on a bare "\n".
        var lines = head.split(omittingEmptySubsequences: false) { $0 == "\r\n" || $0 == "\n" }
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, !requestLine[0].isEmpty, !requestLine[1].isEmpty,
            requestLine[2].hasPrefix("HTTP/1."), let minor = Int(requestLine[2].dropFirst(7))
        else {
            throw .reject(status: 400, message: "bad request line")
        }

        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else {
                throw .reject(status: 400, message: "header line without colon")
            }
            let name = line[..<colon]
            guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                throw .reject(status: 400, message: "bad header name")
            }
            headers.append((String(name), String(line[line.index(after: colon)...].trimmed)))
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), minorVersion: minor, headers: headers)
    }

    private func sendContinueIfExpected(_ request: Request) throws(ReadError) {
        guard request.minorVersion >= 1, request.tokens("expect").contains("100-continue") else { return }
        guard write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { throw .closed }
    }

    private func readChunkedBody(until deadline: ContinuousClock.Instant) throws(ReadError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine(until: deadline)
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmed
            guard !sizeText.isEmpty, sizeText.count <= 8, sizeText.allSatisfy(\.isHexDigit), let size = Int(sizeText, radix: 16) else {
                throw .reject(status: 400, message: "bad chunk size")
            }
            if size == 0 { break }
            guard body.count + size <= Limits.maxBodyBytes else {
                throw .reject(status: 413, message: "request body too large")
            }
            body += try readExactly(size, until: deadline)
            guard try readLine(until: deadline).isEmpty else {
                throw .reject(status: 400, message: "chunk data not followed by CRLF")
            }
        }
        // Trailer fields, ignored, up to the empty line.
        var trailerBytes = 0
        while true {
            let line = try readLine(until: deadline)
            if line.isEmpty { return body }
            trailerBytes += line.utf8.count
            guard trailerBytes <= Limits.maxHeadBytes else {
                throw .reject(status: 431, message: "trailers too large")
            }
        }
    }

    // MARK: - Reading

    private func compactBuffer() {
        if readIndex > 0 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
    }

    /// Appends at least one received byte to `buffer`, or throws `.closed`.
    private func fill(until deadline: ContinuousClock.Instant) throws(ReadError) {
        while true {
            let received = scratch.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received > 0 {
                buffer += scratch[0..<received]
                return
            }
            if received == 0 { throw .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                if isStopped || ContinuousClock.now >= deadline { throw .closed }
            default: throw .closed
            }
        }
    }

    private func readExactly(_ count: Int, until deadline: ContinuousClock.Instant) throws(ReadError) -> [UInt8] {
        while buffer.count - readIndex < count {
            try fill(until: deadline)
        }
        let bytes = Array(buffer[readIndex..<(readIndex + count)])
        readIndex += count
        return bytes
    }

    /// A line without its `\r\n` (or bare `\n`), at most 4 KiB.
    private func readLine(until deadline: ContinuousClock.Instant) throws(ReadError) -> String {
        var searchFrom = readIndex
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 10) {
                var end = newline
                if end > readIndex, buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[readIndex..<end], as: UTF8.self)
                readIndex = newline + 1
                return line
            }
            searchFrom = buffer.count
            if buffer.count - readIndex > 4096 {
                throw .reject(status: 400, message: "line too long")
            }
            try fill(until: deadline)
        }
    }

    // MARK: - Writing

    /// Sends all of `bytes` (with `MSG_NOSIGNAL`).
    /// - Returns: `false` if the peer went away, the server stopped or `deadline` passed.
    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant = .now + Limits.timeout) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                if isStopped || ContinuousClock.now >= deadline { return false }
            default: return false
            }
        }
        return true
    }

    /// Writes a complete response framed by Content-Length (omitted for 1xx, 204 and 304), and
    /// no body for HEAD requests.
    /// - Returns: whether the connection may serve another request.
    func respond(
        to request: Request?, status: Int, headers: [(String, String)] = [], body: [UInt8] = [], keepAlive: Bool? = nil
    ) -> Bool {
        let keepAlive = keepAlive ?? (request?.wantsKeepAlive ?? false)
        var head = responseHead(status: status, headers: headers, keepAlive: keepAlive, request: request)
        if status >= 200, status != 204, status != 304 {
            head += "content-length: \(body.count)\r\n"
        }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if request?.method != "HEAD" {
            bytes += body
        }
        return write(bytes) && keepAlive
    }

    /// Status line plus `headers` plus the `connection` header, without the final empty line.
    func responseHead(status: Int, headers: [(String, String)], keepAlive: Bool, request: Request?) -> String {
        var head = "HTTP/1.1 \(status) \(reasonPhrase(status))\r\n"
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
        }
        if !keepAlive {
            head += "connection: close\r\n"
        } else if let request, request.minorVersion == 0 {
            head += "connection: keep-alive\r\n"
        }
        return head
    }
}

func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 100: "Continue"
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 204: "No Content"
    case 206: "Partial Content"
    case 301: "Moved Permanently"
    case 302: "Found"
    case 303: "See Other"
    case 304: "Not Modified"
    case 307: "Temporary Redirect"
    case 308: "Permanent Redirect"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 409: "Conflict"
    case 413: "Content Too Large"
    case 418: "I'm a teapot"
    case 429: "Too Many Requests"
    case 431: "Request Header Fields Too Large"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: "Status \(status)"
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmed: Substring {
        let view = Substring(self)
        guard let first = view.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return view[view.endIndex...] }
        let last = view.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return view[first...last]
    }
}
