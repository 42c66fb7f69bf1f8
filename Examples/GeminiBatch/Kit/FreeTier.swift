import GatewayCore

/// Default pacing per model: published free-tier requests per minute (mid/late 2025; Google
/// changes them often and the 429 body is the live truth — pass `--rate` to override).
public enum FreeTier {
    /// The free tier's requests per minute for `model` (15 for models it does not know).
    public static func rate(for model: String) -> RateLimit {
        let id = model.hasPrefix("models/") ? String(model.dropFirst("models/".count)) : model
        let perMinute: Int = switch id {
        case let name where name.hasPrefix("gemini-2.5-pro"): 5
        case let name where name.hasPrefix("gemini-2.5-flash-lite"): 15
        case let name where name.hasPrefix("gemini-2.5-flash"): 10
        case let name where name.hasPrefix("gemini-2.0-flash-lite"): 30
        case let name where name.hasPrefix("gemini-2.0-flash"): 15
        default: 15
        }
        return RateLimit.perMinute(perMinute)
    }
}
