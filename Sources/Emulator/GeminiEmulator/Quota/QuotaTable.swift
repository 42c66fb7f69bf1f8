/// Which quota applies to a project and model.
struct QuotaTable: Sendable, Equatable {
    var global: [String: ModelQuota]
    var perProject: [String: [String: ModelQuota]]

    /// The project's entry for the model, else the project's `"*"`, else the global entry for
    /// the model, else the global `"*"`, else unlimited.
    func quota(project: String, model: String) -> ModelQuota {
        if let table = perProject[project], let quota = table[model] ?? table["*"] { return quota }
        return global[model] ?? global["*"] ?? .unlimited
    }

    /// The models the tables name (other than `"*"`).
    var namedModels: Set<String> {
        var models = Set(global.keys)
        for table in perProject.values { models.formUnion(table.keys) }
        models.remove("*")
        return models
    }
}
