import GatewayCore
import Testing

/// An API key's secret must never show in any rendering of the key: only its label and, for
/// keys of 12 characters or more, the last four characters.
@Suite("APIKey: masking, prefixes and quota groups")
struct APIKeyTests {
    /// Secrets in both Gemini styles (`AQ.` new, `AIza` old) and one of neither.
    static let secrets = [
        "AQ.Ab8RN6LqTmVpGhJkUcWnBd3FsYo1WXYZ",
        "AIza.SyD-fake-test-key-not-real-FMBWY",
        "sk-unprefixed-secret-key-value-9f8e",
    ]

    /// Every way a key can be turned into text, labelled for failure messages.
    static func renderings(of key: APIKey) -> [(name: String, text: String)] {
        var dumped = ""
        dump(key, to: &dumped)
        var dumpedArray = ""
        dump([key], to: &dumpedArray)
        let mirror = Mirror(reflecting: key)
        let mirrorText = mirror.children
            .map { "\($0.label ?? "?")=\(String(describing: $0.value))|\(String(reflecting: $0.value))" }
            .joined(separator: ",")
        return [
            ("description", key.description),
            ("debugDescription", key.debugDescription),
            ("interpolation", "\(key)"),
            ("String(describing:)", String(describing: key)),
            ("String(reflecting:)", String(reflecting: key)),
            ("optional", String(describing: Optional(key))),
            ("array", "\([key])"),
            ("dictionary", "\([key: 1])"),
            ("dump", dumped),
            ("dump of array", dumpedArray),
            ("Mirror", mirrorText),
            ("masked", key.masked),
        ]
    }

    /// Whether `text` contains any run of five consecutive characters of `secret` (more than
    /// the four the mask may show).
    static func leaks(_ secret: String, in text: String) -> Bool {
        let characters = Array(secret)
        guard characters.count >= 5 else { return text.contains(secret) }
        return (0...(characters.count - 5)).contains { text.contains(String(characters[$0..<$0 + 5])) }
    }

    @Test("no rendering contains the secret", arguments: secrets, [nil, "my-project"] as [String?])
    func noRenderingLeaks(secret: String, project: String?) {
        let key = APIKey(secret: secret, id: KeyID(2), project: project)
        for (name, text) in Self.renderings(of: key) {
            #expect(!text.contains(secret), "\(name) contains the secret: \(text)")
            #expect(!Self.leaks(secret, in: text), "\(name) shows more than the last four characters: \(text)")
        }
    }

    @Test("renderings show the label and the last four characters", arguments: secrets)
    func showsLabelAndLastFour(secret: String) {
        let key = APIKey(secret: secret, id: KeyID(0), label: "primary")
        let lastFour = String(secret.suffix(4))
        #expect(key.masked == "…" + lastFour)
        for (name, text) in Self.renderings(of: key) where name != "masked" {
            #expect(text.contains(lastFour), "\(name) lacks the last four characters: \(text)")
            #expect(text.contains("primary"), "\(name) lacks the label: \(text)")
        }
    }

    @Test("the exact descriptions")
    func exactDescriptions() {
        let plain = APIKey(secret: "AQ.Ab8RN6LqTmVpGhJkUcWnBd3FsYo1WXYZ", id: KeyID(0))
        #expect(plain.description == "#1(…WXYZ)")
        #expect(plain.debugDescription == "APIKey(#1(…WXYZ))")
        #expect("\(plain)" == "#1(…WXYZ)")
        #expect(String(reflecting: plain) == "APIKey(#1(…WXYZ))")

        let withProject = APIKey(secret: "AIza.SyD-fake-test-key-not-real-FMBWY", id: KeyID(4), project: "proj-7")
        #expect(withProject.description == "#5(…MBWY, project proj-7)")
    }

    @Test("the mirror exposes label, mask and project only")
    func mirrorChildren() throws {
        let key = APIKey(secret: "AQ.Ab8RN6LqTmVpGhJkUcWnBd3FsYo1WXYZ", id: KeyID(1), project: "p")
        let mirror = Mirror(reflecting: key)
        #expect(mirror.displayStyle == .struct)
        let children = Dictionary(uniqueKeysWithValues: mirror.children.map { ($0.label ?? "", $0.value) })
        #expect(Set(children.keys) == ["label", "masked", "project"])
        #expect(children["label"] as? String == "#2")
        #expect(children["masked"] as? String == "…WXYZ")
        let project = try #require(children["project"])
        #expect(project as? String? == "p")
    }

    @Test(
        "a key shorter than 12 characters shows none of its characters",
        arguments: ["q", "AQ.xyz", "AIzaQQ", "shrtsecret1", "elevenchars"])
    func shortKeyShowsNothing(secret: String) {
        #expect(secret.count < 12)
        let key = APIKey(secret: secret, id: KeyID(0))
        #expect(key.masked == "…")
        #expect(key.description == "#1(…)")
        #expect(key.debugDescription == "APIKey(#1(…))")
        for (name, text) in Self.renderings(of: key) {
            #expect(!text.contains(secret), "\(name) contains the short secret: \(text)")
        }
        // No character of the secret at all in the label-free part of the description.
        #expect(!key.masked.contains { secret.contains($0) })
    }

    @Test("a key of exactly 12 characters shows its last four")
    func twelveCharacterBoundary() {
        let key = APIKey(secret: "twelve-chars", id: KeyID(0))
        #expect(key.masked == "…hars")
        #expect(key.description == "#1(…hars)")
    }

    @Test("keys starting with AQ. and AIza are both accepted unchanged", arguments: secrets)
    func noPrefixValidation(secret: String) throws {
        let set = try KeySet(loading: .list([secret]))
        #expect(set.keys.count == 1)
        #expect(set.warnings.isEmpty)
        #expect(set.keys[0].revealSecret() == secret)
    }

    @Test("AQ. and AIza keys load side by side")
    func bothStylesTogether() throws {
        let set = try KeySet(loading: .list(Self.secrets))
        #expect(set.keys.map { $0.revealSecret() } == Self.secrets)
        #expect(set.warnings.isEmpty)
    }

    @Test("the label defaults to the one-based position")
    func defaultLabel() {
        #expect(APIKey(secret: "AQ.secret-value-1234", id: KeyID(0)).label == "#1")
        #expect(APIKey(secret: "AQ.secret-value-1234", id: KeyID(6)).label == "#7")
        #expect(APIKey(secret: "AQ.secret-value-1234", id: KeyID(6), label: "backup").label == "backup")
        #expect(KeyID(6).description == "#7")
    }

    @Test("the quota group is the declared project, shared by keys of that project")
    func quotaGroupIsProject() {
        let a = APIKey(secret: "AQ.first-secret-aaaa", id: KeyID(0), project: "proj-a")
        let b = APIKey(secret: "AQ.second-secret-bbbb", id: KeyID(1), project: "proj-a")
        let c = APIKey(secret: "AQ.third-secret-cccc", id: KeyID(2), project: "proj-c")
        #expect(a.quotaGroup == QuotaGroup("proj-a"))
        #expect(a.quotaGroup == b.quotaGroup)
        #expect(a.quotaGroup != c.quotaGroup)
        #expect(c.quotaGroup.name == "proj-c")
    }

    @Test("without a project each key is a quota group of its own")
    func quotaGroupPerKeyOtherwise() throws {
        let set = try KeySet(loading: .list(Self.secrets))
        let groups = set.keys.map(\.quotaGroup)
        #expect(Set(groups).count == set.keys.count)
        for group in groups {
            for secret in Self.secrets { #expect(!group.name.contains(secret)) }
        }
        // A project-less key's group differs from any declared project's.
        let declared = APIKey(secret: "AQ.declared-secret-dddd", id: KeyID(0), project: "proj")
        #expect(!groups.contains(declared.quotaGroup))
    }

    @Test("equal keys compare equal and hash alike; different secrets differ")
    func equality() {
        let a = APIKey(secret: "AQ.first-secret-aaaa", id: KeyID(0))
        let same = APIKey(secret: "AQ.first-secret-aaaa", id: KeyID(0))
        let other = APIKey(secret: "AQ.other-secret-zzzz", id: KeyID(0))
        #expect(a == same)
        #expect(a.hashValue == same.hashValue)
        #expect(a != other)
        #expect(Set([a, same, other]).count == 2)
    }
}
