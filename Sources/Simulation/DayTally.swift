import OnboardingEngine

/// What one simulated day counts per persona while users arrive: signups by assignment mode, the users whose
/// mode an ε draw decided (and how many of them explored), and the regret of the flows presented.
struct DayTally {
    var signups: [Int]
    var explore: [Int]
    var exploit: [Int]
    var holdback: [Int]
    var epsilonUsers: [Int]
    var epsilonExplore: [Int]
    var regret: [Double]
    var activationRegret: [Double]
    /// Users the runtime inferred as another persona, and their regret (persona inference only).
    var misclassified: [Int]
    var misclassifiedRegret: [Double]

    init(personas: Int) {
        signups = Array(repeating: 0, count: personas)
        explore = signups
        exploit = signups
        holdback = signups
        epsilonUsers = signups
        epsilonExplore = signups
        regret = Array(repeating: 0, count: personas)
        activationRegret = regret
        misclassified = signups
        misclassifiedRegret = regret
    }

    /// Counts one assignment; `epsilonDrawn` says whether the persona's policy decides by an ε draw today.
    mutating func count(_ mode: AssignmentMode, persona p: Int, epsilonDrawn: Bool) {
        signups[p] += 1
        switch mode {
        case .explore: explore[p] += 1
        case .exploit: exploit[p] += 1
        case .holdback: holdback[p] += 1
        }
        if mode != .holdback && epsilonDrawn {
            epsilonUsers[p] += 1
            if mode == .explore { epsilonExplore[p] += 1 }
        }
    }
}

/// Per persona and signup day: the users who signed up and how many of them activate within 7 days, are
/// retained at 30 and upgrade (decided at signup, so a cohort's rates are known before its outcomes arrive).
struct CohortTally {
    var signups: [[Int]]
    var activated: [[Int]]
    var retained: [[Int]]
    var upgraded: [[Int]]

    init(personas: Int, horizon: Int) {
        signups = Array(repeating: Array(repeating: 0, count: horizon), count: personas)
        activated = signups
        retained = signups
        upgraded = signups
    }

    mutating func add(persona p: Int, day: Int, activated a: Bool, retained r: Bool, upgraded u: Bool) {
        signups[p][day] += 1
        if a { activated[p][day] += 1 }
        if r { retained[p][day] += 1 }
        if u { upgraded[p][day] += 1 }
    }
}
