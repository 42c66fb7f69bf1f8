import GatewayCore
import Testing

/// Edge cases found in review: absurd retry numbers, zero delays, out-of-range randomness,
/// blank projects and repeated labels in code-given keys.
@Suite("Input hardening")
struct InputHardeningTests {
    @Test("backoff is safe for any retry number and never exceeds its maximum")
    func backoffExtremes() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(30), jitter: .full)
        #expect(backoff.delay(forRetry: .max, random: 0.999) <= .seconds(30))
        #expect(backoff.delay(forRetry: .min, random: 0.5) == .milliseconds(500))
        #expect(backoff.delay(forRetry: 3, random: 1.5) <= .seconds(30))
        #expect(backoff.delay(forRetry: 3, random: .nan) == .zero)
        let flat = Backoff(initial: .seconds(2), multiplier: 1, maximum: .seconds(30), jitter: .none)
        #expect(flat.delay(forRetry: .max, random: 0) == .seconds(2))
        let zero = Backoff(initial: .zero, maximum: .seconds(30), jitter: .none)
        #expect(zero.delay(forRetry: 5000, random: 0) == .zero)
    }

    @Test("blank projects given in code mean no project; each such key is its own quota group")
    func blankProjectsInCode() throws {
        let set = try KeySet(loading: .entries([
            .init(secret: "first-secret-000000001", project: " "),
            .init(secret: "second-secret-00000002", project: ""),
            .init(secret: "third-secret-000000003", project: " shared "),
        ]))
        #expect(set.keys.map(\.project) == [nil, nil, "shared"])
        #expect(set.keys[0].quotaGroup != set.keys[1].quotaGroup)
    }

    @Test("repeated labels are made unique, so project-less keys never share a group by accident")
    func repeatedLabels() throws {
        let set = try KeySet(loading: .entries([
            .init(secret: "first-secret-000000001", label: "prod"),
            .init(secret: "second-secret-00000002", label: "prod"),
        ]))
        #expect(set.keys.map(\.label) == ["prod", "prod'"])
        #expect(set.keys[0].quotaGroup != set.keys[1].quotaGroup)
    }

    @Test("a key source entry prints masked")
    func entryMasked() {
        let entry = KeySource.Entry(secret: "entry-secret-value-9876", project: "p", label: "#1")
        for text in ["\(entry)", String(reflecting: entry), String(describing: [entry])] {
            #expect(!text.contains("entry-secret-value"))
            #expect(text.contains("9876"))
        }
    }
}
