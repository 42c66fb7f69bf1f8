/// The models the emulator serves: a built-in list plus every model the quota tables name.
struct ModelCatalog: Sendable {
    struct Model: Sendable, Equatable {
        var id: String
        var displayName: String
        var inputTokenLimit: Int
        var outputTokenLimit: Int
        var methods: [String]

        var isEmbedding: Bool { methods.contains("embedContent") }

        func supports(_ operation: Operation) -> Bool {
            operation.requiredMethod.map(methods.contains) ?? true
        }

        var json: JSONValue {
            var members: [(String, JSONValue)] = [
                ("name", .string("models/\(id)")),
                ("version", "001"),
                ("displayName", .string(displayName)),
                ("description", .string("\(displayName), served by the LLMGateway Gemini emulator.")),
                ("inputTokenLimit", .int(inputTokenLimit)),
                ("outputTokenLimit", .int(outputTokenLimit)),
                ("supportedGenerationMethods", .array(methods.map(JSONValue.string))),
            ]
            if !isEmbedding {
                members += [("temperature", 1), ("topP", .double(0.95)), ("topK", 64), ("maxTemperature", 2)]
                if id.hasPrefix("gemini-2.5") { members.append(("thinking", true)) }
            }
            return .object(members)
        }
    }

    static let generativeMethods = ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"]
    static let embeddingMethods = ["embedContent", "countTokens", "batchEmbedContents"]

    static let builtIn: [Model] = [
        Model(id: "gemini-2.5-flash-lite", displayName: "Gemini 2.5 Flash-Lite", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, methods: generativeMethods),
        Model(id: "gemini-2.5-flash", displayName: "Gemini 2.5 Flash", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, methods: generativeMethods),
        Model(id: "gemini-2.5-pro", displayName: "Gemini 2.5 Pro", inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, methods: generativeMethods),
        Model(id: "gemini-2.0-flash", displayName: "Gemini 2.0 Flash", inputTokenLimit: 1_048_576, outputTokenLimit: 8_192, methods: generativeMethods),
        Model(id: "text-embedding-004", displayName: "Text Embedding 004", inputTokenLimit: 2_048, outputTokenLimit: 1, methods: ["embedContent"]),
        Model(id: "gemini-embedding-001", displayName: "Gemini Embedding 001", inputTokenLimit: 2_048, outputTokenLimit: 1, methods: embeddingMethods),
    ]

    /// Models in catalogue order: built-ins first, then extra names sorted.
    let models: [Model]
    private let byID: [String: Model]

    /// The built-ins plus `extra` model ids (from the quota tables): a name containing
    /// "embedding" becomes an embedding model, any other a generative one.
    init(extra: Set<String> = []) {
        let known = Set(Self.builtIn.map(\.id))
        let added = extra.subtracting(known).sorted().map { id in
            Model(
                id: id, displayName: id, inputTokenLimit: 1_048_576, outputTokenLimit: id.contains("embedding") ? 1 : 65_536,
                methods: id.contains("embedding") ? Self.embeddingMethods : Self.generativeMethods)
        }
        models = Self.builtIn + added
        byID = Dictionary(uniqueKeysWithValues: models.map { ($0.id, $0) })
    }

    func model(_ id: String) -> Model? { byID[id] }

    /// The `GET models` body.
    var listJSON: JSONValue { .object([("models", .array(models.map(\.json)))]) }
}
