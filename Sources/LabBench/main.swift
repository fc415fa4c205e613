import Experiments
import Foundation
import OnboardingEngine
import OnboardingPersistence
import Scenarios
import Simulation
import Stochastics

/// lab-bench: the lab's benchmarks (figures, not tests). Build with `swift build -c release --product lab-bench`.
///
///   lab-bench engine [memory|sqlite] [days] [users-per-day]
///       The engine alone: per user initForUser + 3 step events + the activation outcome, a nightly job per day.
///   lab-bench simulate SCENARIO [memory|sqlite] [signups-per-day] [replicates] [threads]
///       The whole simulator on one scenario, traffic scaled to the given signups per day.
///   lab-bench rss SCENARIO USERS
///       Peak resident memory of one memory-store replicate scaled to about USERS users.
func now() -> Double { Date().timeIntervalSinceReferenceDate }

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func engineBenchmark(store kind: String, days: Int, usersPerDay: Int) throws {
    let path = NSTemporaryDirectory() + "lab-bench-\(ProcessInfo.processInfo.processIdentifier).sqlite"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store: any EngineStore =
        kind == "sqlite" ? try SQLiteStore(path: path, mode: .createOrMigrate, durability: .simulation) : MemoryStore()
    let engine = try V4Engine(store: store, random: RandomStream(seed: 1))
    let steps = ["chatbot_setup", "product_added", "catalog_synced", "first_lead"]
    try engine.configurePersona(
        PersonaConfig(
            persona: "mlm_newbie", activationEvent: "first_lead",
            v3Default: [
                V3Option(steps: steps, variant: "chatbot_first"),
                V3Option(steps: [steps[1], steps[0], steps[2], steps[3]], variant: "product_first"),
            ]))
    try engine.registerCandidateFlow(
        persona: "mlm_newbie", steps: [steps[2], steps[0], steps[1], steps[3]], variant: nil, at: 0)
    let behaviour = RandomStream(seed: 2)
    var assignTime = 0.0
    var eventTime = 0.0
    var nightlyTime = 0.0
    let start = now()
    for day in 0..<days {
        try store.batch {
            let dayStart = day * 1440
            var t = now()
            var assigned: [(String, [String], Minute)] = []
            assigned.reserveCapacity(usersPerDay)
            for i in 0..<usersPerDay {
                let id = "u\(day * usersPerDay + i)"
                let at = dayStart + i * 1440 / usersPerDay
                let r = try engine.initForUser(userId: id, persona: "mlm_newbie", at: at)
                assigned.append((id, r.steps, at))
            }
            assignTime += now() - t
            t = now()
            for (id, flow, at) in assigned {
                for (k, step) in flow.prefix(3).enumerated() {
                    try engine.handleEvent(userId: id, eventType: step, at: at + k + 1)
                }
                if behaviour.uniform() < 0.7 { try engine.recordOutcome(userId: id, outcome: .activated, at: at + 5) }
            }
            eventTime += now() - t
            t = now()
            try engine.runNightlyLearningJob(now: dayStart + 1440)
            nightlyTime += now() - t
        }
    }
    let total = now() - start
    let users = Double(days * usersPerDay)
    print(
        String(
            format:
                "engine[%@] %d days × %d users: %.2f s, %.0f users/s (assign %.2f s, 3 events + outcome %.2f s, nightly %.2f s)",
            kind, days, usersPerDay, total, users / total, assignTime, eventTime, nightlyTime))
    if let sqlite = store as? SQLiteStore { print("  onboarding_events rows: \(try sqlite.onboardingEventCount())") }
}

func simulateBenchmark(path: String, store: String, signupsPerDay: Double, replicates: Int, threads: Int) throws {
    let scenario = try ScenarioLoader.load(path: path)
    let base = scenario.traffic.schedule.first?.perDay ?? 1
    let plan = try ExperimentPlan(scenario: scenario, sweep: false, replicates: replicates, scale: signupsPerDay / base)
    let start = now()
    let outcomes = try ExperimentRunner.run(
        plan, options: RunOptions(store: StoreKind(rawValue: store) ?? .memory, threads: threads))
    let seconds = now() - start
    let users = ExperimentResults(plan: plan, outcomes: outcomes).users
    print(
        String(
            format:
                "simulate[%@] %@ at %.0f signups/day, %d replicate(s), %d thread(s): %d users in %.2f s = %.0f users/s; peak RSS %.0f MB",
            store, scenario.name, signupsPerDay, replicates, threads, users, seconds, Double(users) / seconds,
            peakRSSMegabytes()))
}

/// Times each SQLite store operation alone over `n` users (where the engine's time goes).
func operationsBenchmark(n: Int) throws {
    let path = NSTemporaryDirectory() + "lab-bench-ops-\(ProcessInfo.processInfo.processIdentifier).sqlite"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try SQLiteStore(path: path, mode: .createOrMigrate, durability: .simulation)
    let steps = ["a", "b", "c", "win"]
    let ids = (0..<n).map { "u\($0)" }
    func time(_ label: String, _ body: (Int) throws -> Void) throws {
        let t = now()
        try store.batch { for i in 0..<n { try body(i) } }
        let s = now() - t
        print(String(format: "  %-22@ %8.2f µs/op", label, s / Double(n) * 1e6))
    }
    print("SQLite store operations over \(n) users (one transaction each phase):")
    try time("insertAssignment") { i in
        try store.insertAssignment(
            Assignment(
                id: ids[i], userId: ids[i], persona: "p", flowId: "p::[a>b>c>win]", assignedAt: i, mode: .exploit,
                lastUpdated: i), variant: "v", steps: steps)
    }
    try time("journeyContext") { i in _ = try store.journeyContext(userId: ids[i]) }
    try time("appendEvent") { i in try store.appendEvent(userId: ids[i], eventType: "a", at: i + 1, metadata: nil) }
    try time("markStepCompleted") { i in try store.markStepCompleted(userId: ids[i], step: "a", at: i + 1) }
    try time("assignment") { i in _ = try store.assignment(userId: ids[i]) }
    try time("journeyMetrics") { i in _ = try store.journeyMetrics(userId: ids[i]) }
    var update = OutcomeUpdate()
    update.setActivated7d = true
    try time("applyOutcome") { i in
        update.firstWin = (5, i + 5, "win")
        try store.applyOutcome(userId: ids[i], update: update, at: i + 5)
    }
    let t = now()
    _ = try store.windowTotals(since: -1, now: n + 10)
    print(String(format: "  windowTotals(%d users) %8.2f ms", n, (now() - t) * 1e3))
}

let args = CommandLine.arguments.dropFirst()
do {
    switch args.first {
    case "engine":
        let a = Array(args.dropFirst())
        try engineBenchmark(
            store: a.first ?? "memory", days: a.count > 1 ? Int(a[1]) ?? 30 : 30,
            usersPerDay: a.count > 2 ? Int(a[2]) ?? 10_000 : 10_000)
    case "simulate":
        let a = Array(args.dropFirst())
        guard let path = a.first else { throw EngineError.invalidArgument("simulate needs a scenario file") }
        try simulateBenchmark(
            path: path, store: a.count > 1 ? a[1] : "memory",
            signupsPerDay: a.count > 2 ? Double(a[2]) ?? 10_000 : 10_000,
            replicates: a.count > 3 ? Int(a[3]) ?? 1 : 1, threads: a.count > 4 ? Int(a[4]) ?? 1 : 1)
    case "ops":
        try operationsBenchmark(n: Int(args.dropFirst().first ?? "") ?? 100_000)
    case "rss":
        let a = Array(args.dropFirst())
        guard a.count == 2, let users = Double(a[1]) else { throw EngineError.invalidArgument("rss SCENARIO USERS") }
        let scenario = try ScenarioLoader.load(path: a[0])
        let perDay = users / Double(scenario.horizonDays)
        try simulateBenchmark(path: a[0], store: "memory", signupsPerDay: perDay, replicates: 1, threads: 1)
    default:
        print(
            "usage: lab-bench engine [memory|sqlite] [days] [users-per-day] | simulate SCENARIO [memory|sqlite] [signups-per-day] [replicates] [threads] | rss SCENARIO USERS"
        )
    }
} catch {
    FileHandle.standardError.write(Data("lab-bench: \(error)\n".utf8))
    exit(1)
}
