import Foundation

/// One piece of a ``Content``: text, inline bytes, a file reference, a function call or
/// response, or a kind this library does not model.
///
/// On the wire a part is an object with one data field (`text`, `inlineData`, …) plus optional
/// flags. Fields this type does not know (`executableCode`, `thoughtSignature`, new kinds) are
/// kept in ``other`` and written back when the part is encoded, so model turns round-trip.
public struct Part: Codable, Sendable, Hashable {
    /// Text.
    public var text: String?
    /// Bytes sent inline, base64-encoded.
    public var inlineData: InlineData?
    /// A reference to an uploaded file.
    public var fileData: FileData?
    /// A function call the model asks for (`{name, args}`), as raw JSON.
    public var functionCall: JSONValue?
    /// The result of a function call, as raw JSON.
    public var functionResponse: JSONValue?
    /// Whether this part is a thought summary rather than answer text.
    public var thought: Bool?
    /// Every field this type does not model, by wire name.
    public var other: [String: JSONValue]

    /// Creates a part from its fields; set one data field.
    public init(
        text: String? = nil, inlineData: InlineData? = nil, fileData: FileData? = nil,
        functionCall: JSONValue? = nil, functionResponse: JSONValue? = nil, thought: Bool? = nil,
        other: [String: JSONValue] = [:]
    ) {
        self.text = text
        self.inlineData = inlineData
        self.fileData = fileData
        self.functionCall = functionCall
        self.functionResponse = functionResponse
        self.thought = thought
        self.other = other
    }

    /// A text part.
    public static func text(_ text: String) -> Part { Part(text: text) }

    /// Inline bytes of `mimeType` (base64-encoded for the wire).
    public static func inlineData(mimeType: String, bytes: [UInt8]) -> Part {
        Part(inlineData: InlineData(mimeType: mimeType, data: Data(bytes).base64EncodedString()))
    }

    /// A reference to an uploaded file.
    public static func fileData(mimeType: String? = nil, fileURI: String) -> Part {
        Part(fileData: FileData(mimeType: mimeType, fileURI: fileURI))
    }

    /// What the part carries.
    public var kind: Kind {
        if text != nil { return .text }
        if inlineData != nil { return .inlineData }
        if fileData != nil { return .fileData }
        if functionCall != nil { return .functionCall }
        if functionResponse != nil { return .functionResponse }
        return .other
    }

    /// The data a part carries.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The kind's name, e.g. `inlineData`.
        public let description: String
        private init(_ name: String) { description = name }

        /// Text.
        public static let text = Kind("text")
        /// Bytes sent inline.
        public static let inlineData = Kind("inlineData")
        /// A reference to an uploaded file.
        public static let fileData = Kind("fileData")
        /// A function call the model asks for.
        public static let functionCall = Kind("functionCall")
        /// The result of a function call.
        public static let functionResponse = Kind("functionResponse")
        /// A kind this library does not model; its fields are in ``Part/other``.
        public static let other = Kind("other")
    }

    private struct Key: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// Decodes from the wire JSON, keeping the fields this type does not model in ``other``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        self.init()
        for key in container.allKeys {
            switch key.stringValue {
            case "text": text = try container.decode(String.self, forKey: key)
            case "inlineData": inlineData = try container.decode(InlineData.self, forKey: key)
            case "fileData": fileData = try container.decode(FileData.self, forKey: key)
            case "functionCall": functionCall = try container.decode(JSONValue.self, forKey: key)
            case "functionResponse": functionResponse = try container.decode(JSONValue.self, forKey: key)
            case "thought": thought = try container.decode(Bool.self, forKey: key)
            default: other[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
        }
    }

    /// Encodes the modelled fields and every field kept in ``other``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in other { try container.encode(value, forKey: Key(name)) }
        try container.encodeIfPresent(text, forKey: Key("text"))
        try container.encodeIfPresent(inlineData, forKey: Key("inlineData"))
        try container.encodeIfPresent(fileData, forKey: Key("fileData"))
        try container.encodeIfPresent(functionCall, forKey: Key("functionCall"))
        try container.encodeIfPresent(functionResponse, forKey: Key("functionResponse"))
        try container.encodeIfPresent(thought, forKey: Key("thought"))
    }
}

/// Bytes sent inside the request (`inlineData`).
public struct InlineData: Codable, Sendable, Hashable {
    /// The IANA media type, e.g. `image/png`.
    public var mimeType: String
    /// The bytes, base64-encoded.
    public var data: String

    /// Wraps base64-encoded `data` of the media type `mimeType`.
    public init(mimeType: String, data: String) {
        self.mimeType = mimeType
        self.data = data
    }
}

/// A reference to a file uploaded with the Files API (`fileData`). Files belong to the uploading
/// key's project: pin such requests to one project.
public struct FileData: Codable, Sendable, Hashable {
    /// The file's IANA media type, if given.
    public var mimeType: String?
    /// The file's URI (`fileUri` on the wire).
    public var fileURI: String

    /// Refers to the uploaded file at `fileURI`.
    public init(mimeType: String? = nil, fileURI: String) {
        self.mimeType = mimeType
        self.fileURI = fileURI
    }

    private enum CodingKeys: String, CodingKey {
        case mimeType
        case fileURI = "fileUri"
    }
}
