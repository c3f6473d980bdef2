/// The triggers sluice knows. Adding one: its file in Sources/SluiceCore/Triggers/, one line
/// here, one test (its documented example is validated by the conformance test).
public enum TriggerKinds {
    public static let registry = TriggerRegistry([
        TriggerRegistration(InboxTrigger.self),
        TriggerRegistration(ManualTrigger.self),
        TriggerRegistration(ScheduleTrigger.self),
        TriggerRegistration(AfterTrigger.self),
        TriggerRegistration(EventTrigger.self),
        TriggerRegistration(SourceTrigger.self),
    ])
}
