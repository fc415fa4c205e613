/// A world in heap storage of its own, for one replicate (``ReplicateRunner``).
///
/// Replicates of a sweep run on several threads from one ``SimulationConfig``. Copying a struct shares its arrays
/// and strings, so every replicate retained and released the same objects: the personas array, each flow's steps,
/// the step and variant names the engine keeps (through its patterns and journeys). Each retain or release is an
/// atomic write to the object's reference count, and two cores writing one cache line take turns. With 2 threads,
/// `lab-bench simulate scenarios/seed-narrative.yaml memory 10000 4 2` spent about 10% more CPU than with 1 (perf:
/// `swift_retain` samples +70%). A private copy per replicate keeps every count on one core. The values are
/// unchanged, so is every output.
extension World {
    /// The same world, with every array buffer and every string that is not stored inline copied.
    public func privateCopy() -> World {
        World(
            horizonDays: horizonDays,
            traffic: TrafficModel(
                schedule: traffic.schedule.map { $0 }, poisson: traffic.poisson, weekly: traffic.weekly?.map { $0 },
                scale: traffic.scale, growthPerMonth: traffic.growthPerMonth),
            personas: personas.map { $0.privateCopy() }, objective: objective,
            inference: inference.map { model in
                InferenceModel(periods: model.periods.map { ($0.fromDay, $0.rows.map { $0?.map { $0 } }) })
            })
    }
}

extension PersonaModel {
    func privateCopy() -> PersonaModel {
        PersonaModel(
            id: id.privateCopy(), share: share, activationEvent: activationEvent.privateCopy(),
            v3Default: v3Default.map { ($0.flow, $0.variant.privateCopy(), $0.weight) },
            flows: flows.map { flow in
                var copy = flow
                copy.id = flow.id.privateCopy()
                copy.steps = flow.steps.map { $0.privateCopy() }
                copy.truth.funnel = flow.truth.funnel.map { funnel in
                    var f = funnel
                    f.continuation = funnel.continuation.map { $0 }
                    return f
                }
                return copy
            },
            deviation: deviation.map { DeviationModel(rate: $0.rate, from: $0.from.map { $0 }, to: $0.to.map { $0 }) },
            drift: drift.map { $0 }, trends: trends.map { $0 })
    }
}

extension String {
    /// This string in storage of its own (a string of up to 15 UTF-8 bytes is stored inline and stays so).
    func privateCopy() -> String { String(decoding: Array(utf8), as: UTF8.self) }
}
