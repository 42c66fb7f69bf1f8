/// Splits a `text/event-stream` body into the `data` payloads of its events, fed in chunks of
/// any size. Pure: bytes in, payloads out.
///
/// Lines end in CRLF, LF or CR (a CR at a chunk's end waits for a possible LF). An event ends at
/// a blank line; its `data:` lines are joined with `\n`. `event:`, `id:`, `retry:` and comment
/// lines are ignored. Any other line is kept apart as *bare* text: Gemini may end a stream with
/// a pretty-printed JSON error that is not framed as an event. Shared by the providers of this
/// package.
package struct ServerSentEventParser: Sendable {
    /// The longest line or event accepted, in bytes.
    package let maxEventBytes: Int

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var skipNextLineFeed = false
    package private(set) var bare: [UInt8] = []

    package init(maxEventBytes: Int = 8 << 20) { self.maxEventBytes = maxEventBytes }

    /// What some bytes completed.
    package struct Output: Sendable {
        package var payloads: [[UInt8]] = []
        /// Set when a line or event passed ``maxEventBytes``; parsing stops there.
        package var overflow = false
    }

    /// Whether an event was started and not yet ended by a blank line.
    package var hasPartialEvent: Bool { hasData || !line.isEmpty }

    package mutating func feed(_ bytes: [UInt8]) -> Output {
        var output = Output()
        for byte in bytes {
            if skipNextLineFeed {
                skipNextLineFeed = false
                if byte == .lineFeed { continue }
            }
            switch byte {
            case .lineFeed, .carriageReturn:
                skipNextLineFeed = byte == .carriageReturn
                endLine(into: &output)
            default:
                line.append(byte)
            }
            if line.count + data.count > maxEventBytes || bare.count > maxEventBytes {
                output.overflow = true
                return output
            }
        }
        return output
    }

    /// The body ended: a last event not closed by a blank line, if any (cut mid-event bodies
    /// are the caller's to judge from ``hasPartialEvent`` before calling this).
    package mutating func finish() -> Output {
        var output = Output()
        if !line.isEmpty { endLine(into: &output) }
        if hasData { dispatch(into: &output) }
        return output
    }

    private mutating func endLine(into output: inout Output) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            if hasData { dispatch(into: &output) }
            return
        }
        if line.first == .colon { return }
        let (field, value) = split(line)
        switch field {
        case "data":
            if hasData { data.append(.lineFeed) }
            data.append(contentsOf: value)
            hasData = true
        case "event", "id", "retry":
            break
        default:
            if !bare.isEmpty { bare.append(.lineFeed) }
            bare.append(contentsOf: line)
        }
    }

    private mutating func dispatch(into output: inout Output) {
        output.payloads.append(data)
        data.removeAll(keepingCapacity: true)
        hasData = false
    }

    /// `field: value` (one space after the colon dropped); a line without a colon, or whose
    /// field is not a plain lowercase name, is returned with an empty field name.
    private func split(_ line: [UInt8]) -> (String, ArraySlice<UInt8>) {
        guard let colon = line.firstIndex(of: .colon), colon <= 5,
            line[..<colon].allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { return ("", line[...]) }
        var value = line[(colon + 1)...]
        if value.first == .space { value = value.dropFirst() }
        return (String(decoding: line[..<colon], as: UTF8.self), value)
    }
}

extension UInt8 {
    fileprivate static let lineFeed = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let space = UInt8(ascii: " ")
}
