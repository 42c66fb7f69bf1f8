import CZlib
import Glibc
import Testing

/// A minimal blocking HTTP client over a plain socket: sends raw bytes, reads raw responses.
final class RawClient {
    enum Failure: Error {
        case system(String, Int32)
        case timedOut
        case closedBeforeHead
        case malformedHead(String)
    }

    let descriptor: Int32
    /// Received bytes not consumed by `readResponse` yet.
    private var buffer: [UInt8] = []
    private var isClosed = false

    /// Connects to 127.0.0.1:`port`; reads time out after `timeoutSeconds`.
    init(port: Int, timeoutSeconds: Int = 5) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.system("socket", errno) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure.system("connect", code)
        }
    }

    deinit {
        close()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(descriptor)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure.system("send", errno)
            }
            offset += sent
        }
    }

    /// Reads more bytes into `buffer`. Returns `false` at end of stream (or connection reset).
    @discardableResult
    func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let received = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received > 0 {
                buffer += chunk[0..<received]
                return true
            }
            if received == 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw Failure.timedOut
            case ECONNRESET: return false
            default: throw Failure.system("recv", errno)
            }
        }
    }

    /// Receives once and returns how many bytes were buffered (0 at end of stream), then drops them.
    func receiveAndDiscard() throws -> Int {
        _ = try receive()
        defer { buffer = [] }
        return buffer.count
    }

    /// Everything until the server closes (including bytes already buffered).
    func readUntilClose() throws -> [UInt8] {
        while try receive() {}
        defer { buffer = [] }
        return buffer
    }

    /// Reads one response: the head, then `Content-Length` bytes (fewer if the server closes
    /// first, see `RawResponse.truncated`), or, without `Content-Length`, everything until close
    /// (so a chunked body comes back raw, still encoded).
    func readResponse(bodyless: Bool = false) throws -> RawResponse {
        var headEnd: Int?
        while true {
            headEnd = buffer.indices.dropLast(3).first {
                buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10
            }
            if headEnd != nil { break }
            guard try receive() else { throw Failure.closedBeforeHead }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)

        var lines = head.split(separator: Character("\r\n"), omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw Failure.malformedHead(head)
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw Failure.malformedHead(head) }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers.append((String(line[..<colon]), String(value)))
        }
        var response = RawResponse(statusLine: statusLine, status: status, headers: headers)

        if bodyless {
            return response
        }
        if let lengthText = response.header("content-length"), let length = Int(lengthText) {
            while buffer.count < length {
                guard try receive() else {
                    response.truncated = true
                    break
                }
            }
            let count = min(length, buffer.count)
            response.body = Array(buffer[0..<count])
            buffer.removeFirst(count)
        } else {
            response.body = try readUntilClose()
        }
        return response
    }
}

/// A response as read by `RawClient`.
struct RawResponse {
    var statusLine: String
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []
    /// The server closed before `Content-Length` bytes arrived.
    var truncated = false

    /// The first value of `name`, case-insensitive.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    var text: String {
        String(decoding: body, as: UTF8.self)
    }
}

/// The chunks of a chunked body (without the terminating zero chunk), or nil if the framing is
/// broken or the terminating chunk is missing.
func decodeChunked(_ bytes: [UInt8]) -> [[UInt8]]? {
    var chunks: [[UInt8]] = []
    var index = 0
    func line() -> String? {
        var end = index
        while end + 1 < bytes.count, !(bytes[end] == 13 && bytes[end + 1] == 10) { end += 1 }
        guard end + 1 < bytes.count else { return nil }
        defer { index = end + 2 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }
    while true {
        guard let sizeLine = line(), let size = Int(sizeLine.split(separator: ";")[0], radix: 16), size >= 0 else {
            return nil
        }
        if size == 0 {
            return line() == "" ? chunks : nil
        }
        guard index + size + 2 <= bytes.count, bytes[index + size] == 13, bytes[index + size + 1] == 10 else {
            return nil
        }
        chunks.append(Array(bytes[index..<(index + size)]))
        index += size + 2
    }
}

/// Inflates gzip (or zlib) data with zlib; nil on any zlib error.
func gunzip(_ input: [UInt8]) -> [UInt8]? {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
    guard czlib_inflate_init_auto(stream) == Z_OK else { return nil }
    defer { inflateEnd(stream) }

    var input = input
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    return input.withUnsafeMutableBufferPointer { inBuffer -> [UInt8]? in
        stream.pointee.next_in = inBuffer.baseAddress
        stream.pointee.avail_in = uInt(inBuffer.count)
        while true {
            let (status, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointee.next_out = outBuffer.baseAddress
                stream.pointee.avail_out = uInt(outBuffer.count)
                let status = inflate(stream, Z_NO_FLUSH)
                return (status, outBuffer.count - Int(stream.pointee.avail_out))
            }
            output += chunk[0..<produced]
            if status == Z_STREAM_END { return output }
            guard status == Z_OK else { return nil }
        }
    }
}

/// Polls `condition` every 5 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}
