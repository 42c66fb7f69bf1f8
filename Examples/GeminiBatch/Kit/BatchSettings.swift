import Foundation
import GatewayCore

/// Which API the batch speaks.
public enum BatchAPI: String, Sendable, CaseIterable {
    /// Gemini's own API (`generateContent`); keys from `GEMINI_API_KEY_1..N`.
    case gemini
    /// Any OpenAI-compatible chat-completions API (OpenAI, Gemini's OpenAI endpoint, vLLM,
    /// Ollama, …); keys from `OPENAI_API_KEY_1..N`; paced by the rate-limit headers it sends.
    case openAICompatible = "openai-compatible"

    /// The prefix of the numbered key variables (`GEMINI_API_KEY_`, `OPENAI_API_KEY_`).
    public var keyPrefix: String { self == .gemini ? "GEMINI_API_KEY_" : "OPENAI_API_KEY_" }
    /// The variable that may hold the base URL.
    public var baseURLVariable: String { self == .gemini ? "GEMINI_BASE_URL" : "OPENAI_BASE_URL" }
    /// The base URL when none is given.
    public var defaultBaseURL: String {
        self == .gemini ? "https://generativelanguage.googleapis.com" : "https://api.openai.com/v1"
    }
}

/// Everything one run needs, as the command line gives it.
public struct BatchSettings: Sendable {
    /// The API spoken (default Gemini's).
    public var api: BatchAPI
    /// The folder of input files.
    public var input: URL
    /// Where results, checkpoints and the lock go (created if needed).
    public var output: URL
    /// What to ask of each file.
    public var job: BatchJob
    /// The server's rate per quota group (requests per period, in the server's time); the
    /// gateway paces a little below it (``headroom``). For an OpenAI-compatible API it is the
    /// pace until the server's rate-limit headers say otherwise, and a ceiling when `rateIsCeiling`.
    public var rate: RateLimit
    /// An OpenAI-compatible API's headers never pace faster than ``rate`` (it was given).
    public var rateIsCeiling: Bool
    /// The server's time over the wall clock's: 1 for real APIs, 0.05 for an emulator whose
    /// quota minute lasts 3 s. Scales the rate's period, the retry policy's backoffs and the
    /// window in which shared quotas are learned (a testing aid).
    public var timeScale: Double
    /// Fraction of the rate kept in reserve against network jitter (default 2 %).
    public var headroom: Double
    /// Tokens per minute per quota group, if limited.
    public var tokensPerMinute: Int?
    /// Requests per day per quota group, if limited.
    public var requestsPerDay: Int?
    /// `nil` for the public Gemini API.
    public var baseURL: String?
    /// Where to write the run summary as JSON, if anywhere (checked at start).
    public var summaryJSON: URL?
    /// The keys.
    public var keys: KeySource
    /// Input files larger than this are skipped.
    public var maxFileBytes: Int
    /// Redraw a live progress view on stderr (a terminal); otherwise log lines.
    public var liveProgress: Bool
    /// The longest one HTTP attempt may take.
    public var attemptTimeout: Duration
    /// The longest a connection may take to establish (a dead host is told quickly).
    public var connectTimeout: Duration
    /// The longest an attempt may wait for its next byte, the first one included (whole
    /// seconds): the bound on a server that accepts and never answers. Generation before the
    /// first byte can take tens of seconds, hence 60 s.
    public var idleTimeout: Duration
    /// How long attempts may fail to connect or time out, with no answer at all from the
    /// server, before the run stops with exit status 2 (``ServerWatch``).
    public var deadServerWindow: Duration
    /// Redo every file, ignoring earlier results and checkpoints (`--force`).
    public var force: Bool
    /// Asked to stop early (signals); the run finishes writing and returns its summary.
    public var stop: RunStop
    /// `postgres://…`: share keys, key health and pacing with every gemini-batch process that
    /// uses the same database (`--shared-state`, `GEMINI_BATCH_SHARED_STATE`); `nil` keeps it in-process.
    public var sharedState: String? = nil
    /// Processes share keys and pace within one namespace (`--shared-namespace`).
    public var sharedNamespace = "gemini-batch"
    /// How long a shared lease outlives a process that died (`--shared-lease-ttl`).
    public var sharedLeaseTTL: Duration = .seconds(30)

    /// Settings for one run; only the folders, the job, the rate and the keys are required.
    public init(
        api: BatchAPI = .gemini, input: URL, output: URL, job: BatchJob, rate: RateLimit, rateIsCeiling: Bool = true,
        timeScale: Double = 1, headroom: Double = 0.02,
        tokensPerMinute: Int? = nil, requestsPerDay: Int? = nil, baseURL: String? = nil, summaryJSON: URL? = nil,
        keys: KeySource, maxFileBytes: Int = 8 << 20, liveProgress: Bool = false, attemptTimeout: Duration = .seconds(120),
        connectTimeout: Duration = .seconds(5), idleTimeout: Duration = .seconds(60), deadServerWindow: Duration = .seconds(15), force: Bool = false,
        stop: RunStop = RunStop()
    ) {
        self.api = api
        self.rateIsCeiling = rateIsCeiling
        self.timeScale = timeScale
        self.input = input
        self.output = output
        self.job = job
        self.rate = rate
        self.headroom = headroom
        self.tokensPerMinute = tokensPerMinute
        self.requestsPerDay = requestsPerDay
        self.baseURL = baseURL
        self.summaryJSON = summaryJSON
        self.keys = keys
        self.maxFileBytes = maxFileBytes
        self.liveProgress = liveProgress
        self.attemptTimeout = attemptTimeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.deadServerWindow = deadServerWindow
        self.force = force
        self.stop = stop
    }

    /// The rate in wall-clock time (``rate`` scaled by ``timeScale``).
    public var wallRate: RateLimit { rate.scaled(by: timeScale) }

    /// The pacing the gateway applies: the wall-clock rate less the headroom, plus the token and
    /// day limits.
    public var gatewayLimit: RateLimit {
        var limit = wallRate.withHeadroom(headroom)
        limit.tokensPerMinute = tokensPerMinute
        limit.requestsPerDay = requestsPerDay
        return limit
    }
}
