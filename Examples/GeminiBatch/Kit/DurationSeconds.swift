extension Duration {
    /// Seconds as a `Double`, for rates, ETAs and the summary.
    var inSeconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
