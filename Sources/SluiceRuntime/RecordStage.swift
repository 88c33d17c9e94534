/// The stages of a record's conversion where it can fail, by Kafka Connect's names
/// (its `Stage` enum): what a dead letter's `__connect.errors.stage` says.
enum RecordStage: String {
    case keyConverter = "KEY_CONVERTER"
    case valueConverter = "VALUE_CONVERTER"
    case transformation = "TRANSFORMATION"

    /// The class that runs this stage: the key or value converter, or step `step` of
    /// `transforms` (by Kafka Connect's class names).
    func className(key: any Converter, value: any Converter, transforms: TransformChain, step: Int) -> String {
        switch self {
        case .keyConverter: return key.className
        case .valueConverter: return value.className
        case .transformation: return transforms.className(ofStep: step)
        }
    }
}
