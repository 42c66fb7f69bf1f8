/// A request body the real API would refuse with 400 INVALID_ARGUMENT; `body` is the envelope.
struct RequestError: Error, Sendable {
    var body: JSONValue

    static func unknownField(_ name: String, at path: String) -> RequestError {
        let location = path.isEmpty ? "" : " at '\(path)'"
        return RequestError(body: ErrorBodies.invalidArgument("Invalid JSON payload received. Unknown name \"\(name)\"\(location): Cannot find field.", fieldViolation: true))
    }

    static func invalidValue(at path: String, type: String, _ value: Any) -> RequestError {
        RequestError(body: ErrorBodies.invalidArgument("Invalid value at '\(path)' (\(type)), \(String(describing: value))", fieldViolation: true))
    }

    /// The `* Request.field: text` form the API uses for semantic checks.
    static func field(_ request: String, _ path: String, _ text: String) -> RequestError {
        RequestError(body: ErrorBodies.invalidArgument("* \(request).\(path): \(text)\n"))
    }

    static let syntax = RequestError(body: ErrorBodies.invalidArgument("Invalid JSON payload received. Unexpected token.", fieldViolation: true))
    static let notAnObject = RequestError(body: ErrorBodies.invalidArgument("Invalid JSON payload received. Expected an object.", fieldViolation: true))
}
