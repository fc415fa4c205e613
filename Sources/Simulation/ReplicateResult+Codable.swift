/// Checkpoints: a finished replicate is written as JSON as soon as it completes, so `--resume` can rebuild the
/// results without running it again. Doubles round-trip exactly (shortest representation), so a resumed folder is
/// byte-identical to an uninterrupted one. The recorded users (tests only) are not checkpointed. (DailyRecord and
/// ReplicateSummary synthesise Codable where they are declared.)
extension ReplicateResult: Codable {
    enum CodingKeys: String, CodingKey {
        case replicate, daily, summaries, timelineDays, timelinePersonas, timelineFlows, flows
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let days = try c.decode([Int].self, forKey: .timelineDays)
        let personas = try c.decode([String].self, forKey: .timelinePersonas)
        let flows = try c.decode([String].self, forKey: .timelineFlows)
        guard days.count == personas.count, days.count == flows.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .timelineDays, in: c, debugDescription: "champion timeline columns differ in length")
        }
        self.init(
            replicate: try c.decode(Int.self, forKey: .replicate),
            daily: try c.decode([DailyRecord].self, forKey: .daily),
            summaries: try c.decode([ReplicateSummary].self, forKey: .summaries), users: [],
            championTimeline: (0..<days.count).map { (days[$0], personas[$0], flows[$0]) },
            flows: try c.decodeIfPresent([FlowDayRecord].self, forKey: .flows) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(replicate, forKey: .replicate)
        try c.encode(daily, forKey: .daily)
        try c.encode(summaries, forKey: .summaries)
        try c.encode(championTimeline.map(\.day), forKey: .timelineDays)
        try c.encode(championTimeline.map(\.persona), forKey: .timelinePersonas)
        try c.encode(championTimeline.map(\.flow), forKey: .timelineFlows)
        // Only when recorded, so checkpoints of runs without flows.csv are unchanged.
        if !flows.isEmpty { try c.encode(flows, forKey: .flows) }
    }
}
