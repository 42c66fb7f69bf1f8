/// One model's limits for one project. `nil` means unlimited.
public struct ModelQuota: Codable, Sendable, Equatable {
    /// Requests per (scaled) minute.
    public var rpm: Int?
    /// Estimated input-plus-output tokens per (scaled) minute.
    public var tpm: Int?
    /// Requests per (scaled) day.
    public var rpd: Int?

    /// Limits; each one left out is unlimited.
    public init(rpm: Int? = nil, tpm: Int? = nil, rpd: Int? = nil) {
        self.rpm = rpm
        self.tpm = tpm
        self.rpd = rpd
    }

    /// No limits at all.
    public static let unlimited = ModelQuota()
}
