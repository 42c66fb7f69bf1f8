/// The field names the real API accepts, in lowerCamelCase (snake_case is accepted too and
/// normalised first), so unknown names get the real "Cannot find field" error.
enum FieldNames {
    static let generateRequest: Set<String> = [
        "model", "contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig", "cachedContent",
    ]
    static let content: Set<String> = ["role", "parts"]
    /// The `data` oneof of a Part: one of these must be set.
    static let partData: Set<String> = [
        "text", "inlineData", "functionCall", "functionResponse", "fileData", "executableCode", "codeExecutionResult",
    ]
    static let part: Set<String> = partData.union(["thought", "thoughtSignature", "videoMetadata", "partMetadata", "mediaResolution"])
    static let generationConfig: Set<String> = [
        "candidateCount", "stopSequences", "maxOutputTokens", "temperature", "topP", "topK", "seed", "responseMimeType",
        "responseSchema", "responseJsonSchema", "presencePenalty", "frequencyPenalty", "responseLogprobs", "logprobs",
        "enableEnhancedCivicAnswers", "responseModalities", "speechConfig", "thinkingConfig", "imageConfig", "mediaResolution",
    ]
    static let countTokensRequest: Set<String> = ["contents", "generateContentRequest"]
    static let embedRequest: Set<String> = ["model", "content", "taskType", "title", "outputDimensionality"]
    static let batchEmbedRequest: Set<String> = ["requests"]

    /// `max_output_tokens` → `maxOutputTokens`; camelCase stays as it is.
    static func camelCased(_ name: String) -> String {
        guard name.contains("_") else { return name }
        let pieces = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = pieces.first else { return name }
        return String(first) + pieces.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `maxOutputTokens` → `max_output_tokens`, for error paths the way the API prints them.
    static func snakeCased(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}
