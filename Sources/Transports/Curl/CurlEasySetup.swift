import CCurl
import GatewayCore
import HTTPTypes

/// Configures an easy handle for one exchange (driver thread only).
enum CurlEasySetup {
    struct SetupError: Error {}

    /// Sets every option; returns the header list, which must outlive the transfer.
    static func configure(
        _ easy: UnsafeMutableRawPointer, for context: CurlRequestContext, configuration: CurlConfiguration,
        errorBuffer: UnsafeMutablePointer<CChar>, opaque: UnsafeMutableRawPointer
    ) throws(TransportError) -> UnsafeMutablePointer<curl_slist>? {
        let head = context.request.head
        guard let scheme = head.scheme, let authority = head.authority else {
            throw .other("the request has no scheme or authority")
        }
        let url = "\(scheme)://\(authority)\(head.path ?? "/")"
        var failed = false
        func check(_ code: CURLcode) { if code != CURLE_OK { failed = true } }

        check(url.withCString { ccurl_easy_setopt_string(easy, CURLOPT_URL, $0) })
        check(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, UnsafeMutableRawPointer(bitPattern: context.id)))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        check(ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, writeCallback))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, opaque))
        check(ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, headerCallback))
        check(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, opaque))
        // Waiting for a connection to show whether it multiplexes pays only where it can: over
        // TLS, ALPN answers after the handshake. On plain HTTP/1.1 curl would hold every request
        // of a burst until the first connection's first response has come back whole.
        let canMultiplex = configuration.httpVersion == .http2PriorKnowledge
            || (configuration.httpVersion == .automatic && scheme.lowercased() == "https")
        if canMultiplex { check(ccurl_easy_setopt_long(easy, CURLOPT_PIPEWAIT, 1)) }
        check(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1))

        switch configuration.httpVersion {
        case .automatic: break
        case .http1_1: check(ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)))
        case .http2PriorKnowledge:
            check(ccurl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE)))
        }

        check(ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlMilliseconds))
        if let total = context.request.timeout ?? configuration.totalTimeout {
            check(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, total.curlMilliseconds))
        }
        if let idle = configuration.idleTimeout {
            check(ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1))
            check(ccurl_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, idle.curlSeconds))
        }
        if let caCertificatePath = configuration.caCertificatePath {
            check(caCertificatePath.withCString { ccurl_easy_setopt_string(easy, CURLOPT_CAINFO, $0) })
        }
        check(ccurl_easy_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes)))
        if configuration.acceptEncoding, head.headerFields[.acceptEncoding] == nil {
            check(ccurl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, ""))
        }

        let body = context.request.body
        switch head.method {
        case .get where body.isEmpty:
            check(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case .head:
            check(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1))
        default:
            if head.method != .post {
                check(head.method.rawValue.withCString { ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, $0) })
            }
            if head.method == .post || !body.isEmpty {
                check(ccurl_easy_setopt_long(easy, CURLOPT_POST, 1))
                check(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                // COPYPOSTFIELDS copies the bytes (POSTFIELDS would not), so no buffer must outlive this call.
                check(body.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress.map { base in
                        base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                            ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0))
                        }
                    } ?? ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
                })
            }
        }

        var headers: UnsafeMutablePointer<curl_slist>?
        for field in head.headerFields {
            headers = "\(field.name.rawName): \(field.value)".withCString { curl_slist_append(headers, $0) }
        }
        // No "Expect: 100-continue" round trip for request bodies.
        headers = curl_slist_append(headers, "Expect:")
        check(ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers))
        if failed {
            curl_slist_free_all(headers)
            throw .other("curl rejected an option for this request")
        }
        return headers
    }
}

/// curl's write callback: hands body bytes to the context, or pauses / aborts the transfer.
private let writeCallback: ccurl_data_callback = { buffer, size, count, opaque in
    guard let buffer, let opaque else { return 0 }
    let length = size * count
    let context = Unmanaged<CurlRequestContext>.fromOpaque(opaque).takeUnretainedValue()
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length)
    switch context.receiveBody(bytes) {
    case .consumed: return length
    case .pause: return ccurl_writefunc_pause()
    case .abort: return ccurl_writefunc_error()
    }
}

/// curl's header callback: one complete header line per call.
private let headerCallback: ccurl_data_callback = { buffer, size, count, opaque in
    guard let buffer, let opaque else { return 0 }
    let length = size * count
    let context = Unmanaged<CurlRequestContext>.fromOpaque(opaque).takeUnretainedValue()
    context.receiveHeaderLine(UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length))
    return length
}
