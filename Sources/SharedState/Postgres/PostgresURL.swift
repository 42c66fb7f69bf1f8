#if PostgresSharedState
/// A parsed `postgres://user[:password]@host[:port]/database` URL (also `postgresql://`).
struct PostgresURL: Sendable, Hashable {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String

    /// `host:port/database`, for messages: never the credentials.
    var target: String { "\(host):\(port)/\(database)" }

    init(_ text: String) throws(SharedStateError) {
        var rest = Substring(text)
        guard let scheme = ["postgres://", "postgresql://"].first(where: { rest.hasPrefix($0) }) else {
            throw .invalidURL("expected postgres://user@host:port/database")
        }
        rest = rest.dropFirst(scheme.count)
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        guard let at = rest.lastIndex(of: "@") else { throw .invalidURL("no user (postgres://user@host/db)") }
        let credentials = rest[..<at]
        rest = rest[rest.index(after: at)...]
        let userPart = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        user = Self.decode(userPart[0])
        password = userPart.count > 1 ? Self.decode(userPart[1]) : nil
        guard !user.isEmpty else { throw .invalidURL("empty user name") }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let hostPort = rest[..<slash]
        database = slash < rest.endIndex ? Self.decode(rest[rest.index(after: slash)...]) : user
        if database.isEmpty { database = user }
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            guard let parsed = Int(hostPort[hostPort.index(after: colon)...]), (1...65_535).contains(parsed) else {
                throw .invalidURL("port is not a number from 1 to 65535")
            }
            port = parsed
        } else {
            host = String(hostPort)
            port = 5432
        }
        host = host.trimmingCharacters(in: "[]")
        guard !host.isEmpty else { throw .invalidURL("no host") }
    }

    /// Percent-decoding, for user names, passwords and database names with reserved characters.
    private static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let hi = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), hi < utf8.endIndex,
                let lo = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), lo < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[hi], utf8[lo]], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index = utf8.index(index, offsetBy: 3)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
#endif
