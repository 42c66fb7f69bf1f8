import Foundation

/// What the emulator needs from a generateContent (or countTokens) body.
struct GenerateRequest: Sendable, Equatable {
    /// Characters of every text part, contents and system instruction together.
    var promptCharacters: Int
    /// The text of the last user turn (its text parts joined).
    var lastUserText: String
    /// `generationConfig.maxOutputTokens`, when set and positive.
    var maxOutputTokens: Int?

    /// The prompt's estimated tokens: characters / 4, rounded up.
    var promptTokens: Int { (promptCharacters + 3) / 4 }
}

/// One text to embed.
struct EmbedRequest: Sendable, Equatable {
    var text: String
    var dimensions: Int
}

/// Parses and checks request bodies the way the real API does where it matters to a client:
/// JSON syntax, unknown field names, required fields, roles and the types of the fields used.
enum RequestParser {
    typealias Object = [String: Any]

    /// The body as a JSON object (empty body = `{}`), with snake_case keys turned to camelCase.
    static func object(_ body: [UInt8]) throws(RequestError) -> Object {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw .syntax
        }
        guard let object = parsed as? Object else { throw .notAnObject }
        return object
    }

    // MARK: generateContent

    static func generate(_ body: [UInt8]) throws(RequestError) -> GenerateRequest {
        try generate(object(body), request: "GenerateContentRequest", path: "")
    }

    static func generate(_ object: Object, request: String, path: String) throws(RequestError) -> GenerateRequest {
        let fields = try normalised(object, allowed: FieldNames.generateRequest, at: path)
        guard let contents = fields["contents"] as? [Any], !contents.isEmpty else {
            if let value = fields["contents"], !(value is [Any]) { throw .invalidValue(at: join(path, "contents"), type: "TYPE_MESSAGE", value) }
            throw .field(request, "contents", "contents is not specified")
        }
        var characters = 0
        var lastUserText = ""
        for (index, item) in contents.enumerated() {
            let contentPath = join(path, "contents[\(index)]")
            let (role, texts) = try content(item, request: request, path: contentPath)
            characters += texts.reduce(0) { $0 + $1.count }
            if role == nil || role == "user", !texts.isEmpty { lastUserText = texts.joined() }
        }
        if let system = fields["systemInstruction"] {
            characters += try content(system, request: request, path: join(path, "system_instruction")).texts.reduce(0) { $0 + $1.count }
        }
        var maxOutputTokens: Int?
        if let config = fields["generationConfig"] {
            let configPath = join(path, "generation_config")
            guard let configObject = config as? Object else { throw .invalidValue(at: configPath, type: "TYPE_MESSAGE", config) }
            let settings = try normalised(configObject, allowed: FieldNames.generationConfig, at: configPath)
            if let value = settings["maxOutputTokens"] {
                guard let limit = int32(value) else { throw .invalidValue(at: join(configPath, "max_output_tokens"), type: "TYPE_INT32", value) }
                if limit > 0 { maxOutputTokens = limit }
            }
        }
        return GenerateRequest(promptCharacters: characters, lastUserText: lastUserText, maxOutputTokens: maxOutputTokens)
    }

    /// A Content's role and the texts of its parts.
    private static func content(_ item: Any, request: String, path: String) throws(RequestError) -> (role: String?, texts: [String]) {
        guard let object = item as? Object else { throw .invalidValue(at: path, type: "TYPE_MESSAGE", item) }
        let fields = try normalised(object, allowed: FieldNames.content, at: path)
        var role: String?
        if let value = fields["role"] {
            guard let text = value as? String else { throw .invalidValue(at: join(path, "role"), type: "TYPE_STRING", value) }
            guard text.isEmpty || text == "user" || text == "model" else {
                throw RequestError(body: ErrorBodies.invalidArgument("Please use a valid role: user, model."))
            }
            role = text.isEmpty ? nil : text
        }
        guard let parts = fields["parts"] as? [Any], !parts.isEmpty else {
            throw .field(request, join(path, "parts"), "contents.parts must not be empty.")
        }
        var texts: [String] = []
        for (index, part) in parts.enumerated() {
            let partPath = join(path, "parts[\(index)]")
            guard let partObject = part as? Object else { throw .invalidValue(at: partPath, type: "TYPE_MESSAGE", part) }
            let partFields = try normalised(partObject, allowed: FieldNames.part, at: partPath)
            guard !FieldNames.partData.isDisjoint(with: partFields.keys) else {
                throw .field(request, join(partPath, "data"), "required oneof field 'data' must have one initialized field")
            }
            if let value = partFields["text"] {
                guard let text = value as? String else { throw .invalidValue(at: join(partPath, "text"), type: "TYPE_STRING", value) }
                texts.append(text)
            }
        }
        return (role, texts)
    }

    // MARK: countTokens

    /// The prompt tokens of a countTokens body (`{contents}` or `{generateContentRequest}`).
    static func countTokens(_ body: [UInt8]) throws(RequestError) -> Int {
        let fields = try normalised(object(body), allowed: FieldNames.countTokensRequest, at: "")
        if let nested = fields["generateContentRequest"] {
            guard let nestedObject = nested as? Object else { throw .invalidValue(at: "generate_content_request", type: "TYPE_MESSAGE", nested) }
            return try generate(nestedObject, request: "CountTokensRequest", path: "generate_content_request").promptTokens
        }
        return try generate(fields, request: "CountTokensRequest", path: "").promptTokens
    }

    // MARK: embeddings

    static func embed(_ body: [UInt8]) throws(RequestError) -> EmbedRequest {
        try embed(object(body), request: "EmbedContentRequest", path: "", urlModel: nil)
    }

    static func batchEmbed(_ body: [UInt8], model: String) throws(RequestError) -> [EmbedRequest] {
        let fields = try normalised(object(body), allowed: FieldNames.batchEmbedRequest, at: "")
        guard let requests = fields["requests"] as? [Any], !requests.isEmpty else {
            throw .field("BatchEmbedContentsRequest", "requests", "requests is not specified")
        }
        var result: [EmbedRequest] = []
        for (index, item) in requests.enumerated() {
            let path = "requests[\(index)]"
            guard let object = item as? Object else { throw .invalidValue(at: path, type: "TYPE_MESSAGE", item) }
            result.append(try embed(object, request: "BatchEmbedContentsRequest", path: path, urlModel: model))
        }
        return result
    }

    private static func embed(_ object: Object, request: String, path: String, urlModel: String?) throws(RequestError) -> EmbedRequest {
        let fields = try normalised(object, allowed: FieldNames.embedRequest, at: path)
        if let urlModel, let value = fields["model"] {
            guard let model = value as? String, model == "models/\(urlModel)" else {
                throw .field(request, join(path, "model"), "the model of each request must be the model of the URL, models/\(urlModel).")
            }
        }
        guard let content = fields["content"] else { throw .field(request, join(path, "content"), "content is not specified") }
        let texts = try self.content(content, request: request, path: join(path, "content")).texts
        var dimensions = 8
        if let value = fields["outputDimensionality"] {
            guard let count = int32(value), (1...3072).contains(count) else {
                throw .invalidValue(at: join(path, "output_dimensionality"), type: "TYPE_INT32", value)
            }
            dimensions = count
        }
        return EmbedRequest(text: texts.joined(separator: " "), dimensions: dimensions)
    }

    // MARK: helpers

    /// The object with camelCased keys, refusing names not in `allowed`. A `null` value means
    /// "not set", as in proto3 JSON.
    private static func normalised(_ object: Object, allowed: Set<String>, at path: String) throws(RequestError) -> Object {
        var result: Object = [:]
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let name = FieldNames.camelCased(key)
            guard allowed.contains(name) else { throw .unknownField(key, at: path) }
            if !(value is NSNull) { result[name] = value }
        }
        return result
    }

    /// An int32 field: a whole JSON number, or a string holding one (proto3 JSON allows both).
    private static func int32(_ value: Any) -> Int? {
        let number: Int?
        if let text = value as? String {
            number = Int(text)
        } else if let value = value as? NSNumber {
            number = Int(exactly: value.doubleValue)
        } else {
            number = nil
        }
        return number.flatMap { Int32(exactly: $0) != nil ? $0 : nil }
    }

    private static func join(_ path: String, _ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }
}
