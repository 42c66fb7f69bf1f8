import CCurl
import GatewayCore

/// Maps a finished transfer's `CURLcode` to the transport error the retry policy classifies:
/// connection and timeout failures, never key faults.
enum CurlErrorMapping {
    static func error(for code: CURLcode, detail: String) -> TransportError {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(text)
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(text)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dnsFailure(text)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT:
            return .tlsFailure(text)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return .connectionReset(text)
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP2, CURLE_HTTP2_STREAM,
             CURLE_UNSUPPORTED_PROTOCOL, CURLE_HTTP3:
            return .malformedResponse(text)
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(limit: 0)
        default:
            return .other("curl error \(code.rawValue): \(text)")
        }
    }
}
