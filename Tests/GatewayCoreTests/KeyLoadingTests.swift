import GatewayCore
import Testing

/// `KeySet(loading:)` from the environment (with an injected lookup), a list, or entries.
@Suite("Key loading: environment, lists, trimming, empties, duplicates")
struct KeyLoadingTests {
    static let prefix = "TEST_KEY_"

    /// A key source reading `values` as if they were the process environment.
    static func environment(_ values: [String: String], prefix: String = prefix) -> KeySource {
        .environment(prefix: prefix, lookup: { values[$0] })
    }

    /// Distinct secrets long enough to be masked as `…` + last four.
    static let a = "AQ.alpha-secret-value-0001"
    static let b = "AIza.BravoSecretValue-0002"
    static let c = "AQ.charlie-secret-value-0003"
    static let d = "AQ.delta-secret-value-0004"

    @Test("reads PREFIX1…N in order and stops at the first gap")
    func readsUntilGap() throws {
        let set = try KeySet(loading: Self.environment([
            "TEST_KEY_1": Self.a, "TEST_KEY_2": Self.b, "TEST_KEY_3": Self.c,
            "TEST_KEY_5": Self.d,  // after the gap at 4: not read
        ]))
        #expect(set.keys.map { $0.revealSecret() } == [Self.a, Self.b, Self.c])
        #expect(set.keys.map(\.label) == ["#1", "#2", "#3"])
        #expect(set.keys.map(\.id) == [KeyID(0), KeyID(1), KeyID(2)])
        #expect(set.warnings.isEmpty)
    }

    @Test("the default prefix is GEMINI_API_KEY_")
    func defaultPrefix() throws {
        let values = ["GEMINI_API_KEY_1": Self.a, "GEMINI_API_KEY_2": Self.b, "OTHER_1": Self.c]
        let set = try KeySet(loading: .environment(lookup: { values[$0] }))
        #expect(set.keys.map { $0.revealSecret() } == [Self.a, Self.b])
    }

    @Test("other prefixes are not read")
    func prefixIsolation() throws {
        let set = try KeySet(loading: Self.environment(
            ["TEST_KEY_1": Self.a, "GEMINI_API_KEY_2": Self.b, "TEST_KEY_2X": Self.c]))
        #expect(set.keys.map { $0.revealSecret() } == [Self.a])
    }

    @Test("PREFIX<n>_PROJECT sets the key's project, trimmed; blank means none")
    func projects() throws {
        let set = try KeySet(loading: Self.environment([
            "TEST_KEY_1": Self.a, "TEST_KEY_1_PROJECT": "proj-a",
            "TEST_KEY_2": Self.b, "TEST_KEY_2_PROJECT": "   ",
            "TEST_KEY_3": Self.c,
            "TEST_KEY_4": Self.d, "TEST_KEY_4_PROJECT": "  proj-a \n",
        ]))
        #expect(set.keys.map(\.project) == ["proj-a", nil, nil, "proj-a"])
        #expect(set.keys[0].quotaGroup == QuotaGroup("proj-a"))
        #expect(set.keys[3].quotaGroup == set.keys[0].quotaGroup)
        #expect(set.keys[1].quotaGroup != set.keys[2].quotaGroup)
        #expect(set.keys[1].quotaGroup != set.keys[0].quotaGroup)
    }

    @Test("an empty project variable means no project", arguments: ["", " ", "\t\n"])
    func emptyProject(value: String) throws {
        let set = try KeySet(loading: Self.environment(["TEST_KEY_1": Self.a, "TEST_KEY_1_PROJECT": value]))
        #expect(set.keys[0].project == nil)
    }

    @Test(
        "leading and trailing whitespace is trimmed",
        arguments: ["  \(a)", "\(a)  ", "\t\(a)\n", "\n\r\n \(a) \r\n", "\u{00A0}\(a)\u{2003}"])
    func trimming(raw: String) throws {
        let set = try KeySet(loading: Self.environment(["TEST_KEY_1": raw]))
        #expect(set.keys.count == 1)
        #expect(set.keys[0].revealSecret() == Self.a)
        #expect(set.warnings.isEmpty)
    }

    @Test("empty and whitespace-only values are skipped with a warning naming the label; they are no gap")
    func emptiesSkipped() throws {
        let set = try KeySet(loading: Self.environment([
            "TEST_KEY_1": "", "TEST_KEY_2": "   \t", "TEST_KEY_3": Self.c, "TEST_KEY_4": "\n",
        ]))
        #expect(set.keys.map { $0.revealSecret() } == [Self.c])
        #expect(set.keys.map(\.label) == ["#3"])
        try #require(set.warnings.count == 3)
        #expect(set.warnings[0].contains("#1"))
        #expect(set.warnings[1].contains("#2"))
        #expect(set.warnings[2].contains("#4"))
        for warning in set.warnings { #expect(warning.contains("empty")) }
    }

    @Test(
        "a value with whitespace inside is skipped with a warning",
        arguments: ["AQ.first-half secondhalf-0001", "AQ.first-half\tsecondhalf-0001", "AQ.first-half\nsecondhalf-0001"])
    func innerWhitespaceSkipped(raw: String) throws {
        let set = try KeySet(loading: Self.environment(["TEST_KEY_1": raw, "TEST_KEY_2": Self.b]))
        #expect(set.keys.map { $0.revealSecret() } == [Self.b])
        #expect(set.keys.map(\.label) == ["#2"])
        try #require(set.warnings.count == 1)
        #expect(set.warnings[0].contains("#1"))
        #expect(!set.warnings[0].contains("AQ.first-half"))
        #expect(!set.warnings[0].contains("secondhalf-0001"))
    }

    @Test("duplicates are dropped with a warning naming both labels")
    func duplicatesDropped() throws {
        let set = try KeySet(loading: Self.environment([
            "TEST_KEY_1": Self.a, "TEST_KEY_2": Self.b, "TEST_KEY_3": Self.a,
            "TEST_KEY_4": "  \(Self.b) ",  // equal after trimming
        ]))
        #expect(set.keys.map { $0.revealSecret() } == [Self.a, Self.b])
        #expect(set.keys.map(\.label) == ["#1", "#2"])
        try #require(set.warnings.count == 2)
        #expect(set.warnings[0].contains("#3 duplicates key #1"))
        #expect(set.warnings[1].contains("#4 duplicates key #2"))
    }

    @Test("warnings never contain key text")
    func warningsAreSecretFree() throws {
        let inner = "AQ.leaky-part-one leaky-part-two"
        let set = try KeySet(loading: Self.environment([
            "TEST_KEY_1": Self.a, "TEST_KEY_2": "   ", "TEST_KEY_3": inner, "TEST_KEY_4": Self.a,
            "TEST_KEY_5": " \(Self.a)\n", "TEST_KEY_6": Self.d,
        ]))
        #expect(set.warnings.count == 4)
        for warning in set.warnings {
            for secret in [Self.a, Self.d, "AQ.leaky-part-one", "leaky-part-two"] {
                #expect(!warning.contains(secret), "warning leaks key text: \(warning)")
            }
            #expect(!APIKeyTests.leaks(Self.a, in: warning))
        }
    }

    @Test("labels of environment keys are #n with n the variable's number")
    func labelsMatchVariableNumbers() throws {
        let set = try KeySet(loading: Self.environment([
            "TEST_KEY_1": " ", "TEST_KEY_2": Self.b, "TEST_KEY_3": Self.b, "TEST_KEY_4": Self.d,
        ]))
        #expect(set.keys.map(\.label) == ["#2", "#4"])
        // Ids stay contiguous from zero whatever was skipped.
        #expect(set.keys.map(\.id) == [KeyID(0), KeyID(1)])
        #expect(set.keys[1].description.hasPrefix("#4("))
    }

    @Test("no variables at all throws noKeys")
    func noKeysInEnvironment() throws {
        #expect(throws: ConfigurationError.noKeys("environment TEST_KEY_1…N")) {
            try KeySet(loading: Self.environment([:]))
        }
        // A first gap at 1 reads nothing, even when later numbers are set.
        #expect(throws: ConfigurationError.noKeys("environment TEST_KEY_1…N")) {
            try KeySet(loading: Self.environment(["TEST_KEY_2": Self.b]))
        }
        #expect(throws: ConfigurationError.noKeys("environment GEMINI_API_KEY_1…N")) {
            try KeySet(loading: .environment(lookup: { _ in nil }))
        }
    }

    @Test("only unusable values throws noKeys, and the error points to GEMINI_API_KEY_1")
    func onlyUnusableValues() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try KeySet(loading: Self.environment(["TEST_KEY_1": "", "TEST_KEY_2": "a b"]))
        }
        #expect(error == .noKeys("environment TEST_KEY_1…N"))
        #expect(error?.description.contains("GEMINI_API_KEY_1") == true)
    }

    @Test("an explicit list: labels by position, one project for all, same rules")
    func explicitList() throws {
        let set = try KeySet(loading: .list([Self.a, "  ", " \(Self.b) ", Self.a, Self.c], project: "shared"))
        #expect(set.keys.map { $0.revealSecret() } == [Self.a, Self.b, Self.c])
        #expect(set.keys.map(\.label) == ["#1", "#3", "#5"])
        #expect(set.keys.allSatisfy { $0.project == "shared" })
        #expect(Set(set.keys.map(\.quotaGroup)) == [QuotaGroup("shared")])
        try #require(set.warnings.count == 2)
        #expect(set.warnings[0].contains("#2"))
        #expect(set.warnings[1].contains("#4 duplicates key #1"))
    }

    @Test("an explicit list without a project gives each key its own group")
    func explicitListWithoutProject() throws {
        let set = try KeySet(loading: .list([Self.a, Self.b]))
        #expect(set.keys.map(\.project) == [nil, nil])
        #expect(set.keys[0].quotaGroup != set.keys[1].quotaGroup)
    }

    @Test("entries keep their own labels and projects")
    func entries() throws {
        let set = try KeySet(loading: .entries([
            .init(secret: Self.a, project: "p1", label: "main"),
            .init(secret: "   ", label: "blank"),
            .init(secret: Self.b),
            .init(secret: Self.a, label: "again"),
        ]))
        #expect(set.keys.map(\.label) == ["main", "#3"])
        #expect(set.keys.map(\.project) == ["p1", nil])
        try #require(set.warnings.count == 2)
        #expect(set.warnings[0].contains("blank"))
        #expect(set.warnings[1].contains("again"))
        #expect(set.warnings[1].contains("main"))
    }

    @Test("an empty list or empty entries throw noKeys")
    func emptyExplicit() {
        #expect(throws: ConfigurationError.noKeys("explicit list")) { try KeySet(loading: .list([])) }
        #expect(throws: ConfigurationError.noKeys("explicit list")) { try KeySet(loading: .list(["", " ", "\n"])) }
        #expect(throws: ConfigurationError.noKeys("explicit list")) { try KeySet(loading: .entries([])) }
    }
}
