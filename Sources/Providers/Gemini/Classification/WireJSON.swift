import Foundation

/// The one JSON encoder and decoder setup of the Gemini wire format: lowerCamelCase keys (the
/// Swift property names), sorted keys and unescaped slashes for stable, readable bodies.
enum WireJSON {
    /// Why a body did not decode.
    enum Problem: Error, Sendable {
        case tooDeep
        case malformed
    }

    static func encode(_ value: some Encodable) throws(GeminiError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw .encodingFailed("\(type(of: value)): \(error)")
        }
    }

    /// Decodes `bytes` as `type`, after checking the nesting depth. Never traps.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) -> Result<T, Problem> {
        guard JSONDepth.isWithinLimit(bytes) else { return .failure(.tooDeep) }
        do {
            return .success(try JSONDecoder().decode(type, from: Data(bytes)))
        } catch {
            return .failure(.malformed)
        }
    }
}
