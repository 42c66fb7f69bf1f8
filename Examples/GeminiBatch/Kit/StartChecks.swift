import Foundation

/// What is checked before any call is paid for: settings that would make every file fail, or
/// succeed with the wrong output, are refused at start with a message naming them (exit 2).
public enum StartChecks {
    /// Refuses an output folder equal to or inside the input folder (its results would be
    /// read back as new inputs), comparing real paths, links resolved.
    public static func outputOutsideInput(input: URL, output: URL) throws(BatchError) {
        let inputPath = realPath(input.path)
        let outputPath = realPath(output.path)
        if outputPath == inputPath || outputPath.hasPrefix(inputPath.hasSuffix("/") ? inputPath : inputPath + "/") {
            throw .outputFolder(
                "\(Printable.path(output.path)) is \(outputPath == inputPath ? "the input folder" : "inside the input folder \(Printable.path(input.path))"): "
                    + "its results would be read as new inputs; choose an output folder outside it")
        }
    }

    /// Checks at start that `--summary-json` can be written: not a folder, in a folder that
    /// exists and takes a new file.
    public static func summaryWritable(_ url: URL) throws(BatchError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .configuration("--summary-json \(Printable.path(url.path)) is a folder")
        }
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .configuration("--summary-json \(Printable.path(url.path)): the folder \(Printable.path(folder.path)) does not exist")
        }
        if url.lastPathComponent.utf8.count > OutputNames.maxNameBytes {
            throw .configuration("--summary-json \(Printable.path(url.path)): the name is longer than 255 bytes")
        }
        let probe = folder.appendingPathComponent(OutputNames.temporary())
        guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
            throw .configuration("--summary-json \(Printable.path(url.path)) cannot be written (the folder \(Printable.path(folder.path)) is not writable)")
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// Accepts only an `http` or `https` URL with a host, and no query, fragment or user name.
    /// The URL is not echoed whole (a key pasted into it would be printed): only its scheme
    /// and host are named.
    public static func baseURL(_ text: String) throws(BatchError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .configuration("--base-url is not a URL (expected e.g. https://generativelanguage.googleapis.com)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw .configuration("--base-url: the scheme '\(Printable.escaped(String(scheme.prefix(20))))' is not supported (use http or https)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .configuration("--base-url has no host (expected e.g. https://generativelanguage.googleapis.com)")
        }
        let shown = "\(scheme)://\(Printable.escaped(host))"
        if components.query != nil || components.fragment != nil {
            throw .configuration("--base-url \(shown)…: must not have a query or fragment (the key travels in a header)")
        }
        if components.user != nil || components.password != nil {
            throw .configuration("--base-url \(shown)…: must not carry a user name or password")
        }
    }

    /// Accepts a model id as the API names them. Gemini's go in the URL's path
    /// (`gemini-2.5-flash`, `models/gemini-2.5-pro`): letters, digits, `.`, `_` and `-`, starting
    /// with a letter or digit. An OpenAI-compatible server's go in the JSON body and may have
    /// `/` and `:` too (`meta-llama/Llama-3.1-8B-Instruct`, `llama3:8b`).
    public static func model(_ model: String, api: BatchAPI = .gemini) throws(BatchError) {
        if api == .openAICompatible {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@+")
            guard let first = model.first, first.isASCII, first.isLetter || first.isNumber, model.count <= 200,
                model.allSatisfy({ allowed.contains($0) })
            else {
                throw .configuration("--model '\(Printable.escaped(model))' is not a model name (letters, digits and '._-/:@+', e.g. gpt-4o-mini)")
            }
            return
        }
        let id = model.hasPrefix("models/") ? model.dropFirst("models/".count) : Substring(model)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard let first = id.first, first.isASCII, first.isLetter || first.isNumber, id.count <= 100,
            id.allSatisfy({ allowed.contains($0) })
        else {
            throw .configuration("--model '\(Printable.escaped(model))' is not a model name (letters, digits, '.', '_' and '-', e.g. gemini-2.5-flash)")
        }
    }

    /// The real path of `path`; for a path that does not exist yet, its deepest existing
    /// ancestor's real path with the rest appended.
    static func realPath(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        guard let resolved = realpath(existing.path, nil) else { return existing.path }
        defer { free(resolved) }
        var url = URL(fileURLWithPath: String(cString: resolved))
        for component in rest { url.appendPathComponent(component) }
        return url.standardizedFileURL.path
    }
}
