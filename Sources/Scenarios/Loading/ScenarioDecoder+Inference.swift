import Yams

extension ScenarioDecoder {
    /// `persona_inference`: one confusion matrix (from day 0) or a list of `{from_day, matrix}` periods. Every
    /// persona named must be declared, and a persona whose users may be inferred as another must declare (by steps)
    /// every flow of that other persona: the engine may show them any of those flows, and the truth of a flow for a
    /// user comes from the user's true persona.
    mutating func decodePersonaInference(_ node: Node, personas: [Persona]?, horizon: Int?) -> PersonaInference? {
        let path = "persona_inference"
        guard case .sequence = node else {
            return decodeInferenceMatrix(node, at: path, personas: personas).map {
                PersonaInference(periods: [InferencePeriod(fromDay: 0, rows: $0)])
            }
        }
        return decodePeriods(
            node, at: path, valueKey: "matrix", what: "the inference schedule", horizon: horizon
        ) { decoder, matrix, matrixPath in
            decoder.decodeInferenceMatrix(matrix, at: matrixPath, personas: personas)
        }.map { PersonaInference(periods: $0.map { InferencePeriod(fromDay: $0.fromDay, rows: $0.value) }) }
    }

    /// `{<true persona>: {<inferred persona>: share, …}, …}`.
    fileprivate mutating func decodeInferenceMatrix(_ node: Node, at path: String, personas: [Persona]?)
        -> [InferenceRow]?
    {
        guard case .mapping(let mapping) = node else {
            report(
                node, path,
                "expected a confusion matrix {<true persona>: {<inferred persona>: share, …}}, found \(found(node))")
            return nil
        }
        let ids = personas?.map(\.id)
        var rows: [InferenceRow] = []
        var complete = true
        for (keyNode, rowNode) in mapping {
            guard let truePersona = personaKey(keyNode, in: path, ids: ids) else {
                complete = false
                continue
            }
            let rowPath = path.appending(key: truePersona)
            if rows.contains(where: { $0.persona == truePersona }) {
                report(keyNode, rowPath, "persona '\(truePersona)' has two rows")
                complete = false
            }
            guard case .mapping(let row) = rowNode else {
                report(rowNode, rowPath, "expected {<inferred persona>: share, …}, found \(found(rowNode))")
                complete = false
                continue
            }
            var inferred: [(persona: String, share: Double)] = []
            for (inferredNode, shareNode) in row {
                guard let inferredPersona = personaKey(inferredNode, in: rowPath, ids: ids) else {
                    complete = false
                    continue
                }
                let sharePath = rowPath.appending(key: inferredPersona)
                if inferred.contains(where: { $0.persona == inferredPersona }) {
                    report(inferredNode, sharePath, "persona '\(inferredPersona)' is listed twice in this row")
                    complete = false
                }
                guard let share = number(shareNode, at: sharePath, .range(ScenarioLimits.weight)) else {
                    complete = false
                    continue
                }
                if share > 0, inferredPersona != truePersona, let personas,
                    let trueModel = personas.first(where: { $0.id == truePersona }),
                    let inferredModel = personas.first(where: { $0.id == inferredPersona }),
                    let missing = inferredModel.flows.first(where: { trueModel.flowIndex(steps: $0.steps) == nil })
                {
                    report(
                        shareNode, sharePath,
                        "users of '\(truePersona)' inferred as '\(inferredPersona)' may be shown its flow '\(missing.id)' "
                            + "(steps \(missing.steps.joined(separator: ">"))), which '\(truePersona)' does not declare: "
                            + "add a flow with those steps to '\(truePersona)' (its truth for \(truePersona) users)")
                    complete = false
                }
                inferred.append((inferredPersona, share))
            }
            if inferred.isEmpty || !inferred.contains(where: { $0.share > 0 }) {
                report(
                    rowNode, rowPath,
                    "the shares of a row must not all be zero (a persona without a row is inferred correctly)")
                complete = false
                continue
            }
            rows.append(InferenceRow(persona: truePersona, inferred: inferred))
        }
        return complete ? rows : nil
    }

    /// A key of the matrix that names a declared persona (`ids` nil: the persona ids could not be read).
    private mutating func personaKey(_ node: Node, in path: String, ids: [String]?) -> String? {
        guard let id = identifier(node, at: path, what: "persona id") else { return nil }
        if let ids, !ids.contains(id) {
            report(node, path.appending(key: id), unknownReference("persona", id, among: ids))
            return nil
        }
        return id
    }
}
