/// A transform that can also run on the splice route (``SplicedRecord``), with the
/// same effect as ``Transformation/apply(_:)`` on the tree route.
protocol SpliceableTransformation: Transformation {
    /// Whether this configuration of the transform can splice (for example
    /// `InsertField$Key` cannot: the splice route keeps only the value as text).
    var canSplice: Bool { get }
    /// Transforms `record`; returns `false` to drop it.
    func splice(_ record: inout SplicedRecord) throws -> Bool
}

extension InsertField: SpliceableTransformation {
    /// Not with `offset.field`: the splice route is the source path's, where that field
    /// fails every record (the tree route says why).
    var canSplice: Bool { part == .value && (offsetField ?? "").isEmpty }

    func splice(_ record: inout SplicedRecord) throws -> Bool {
        if let topicField, !topicField.isEmpty { record.put(topicField, .string(record.meta.topic)) }
        if let partitionField, !partitionField.isEmpty {
            record.put(partitionField, record.meta.partition >= 0 ? .int(Int64(record.meta.partition)) : .null)
        }
        if let timestampField, !timestampField.isEmpty { record.put(timestampField, .int(record.meta.timestampMs)) }
        if let staticField, !staticField.isEmpty { record.put(staticField, staticValue.map(ConnectValue.string) ?? .null) }
        return true
    }
}

extension ReplaceField: SpliceableTransformation {
    var canSplice: Bool { part == .value }

    func splice(_ record: inout SplicedRecord) throws -> Bool {
        var kept = 0
        for index in record.fields.indices {
            let name = record.name(of: record.fields[index])
            guard (include.isEmpty || include.contains(name)) && !exclude.contains(name) else { continue }
            if let renamed = renames[name] { record.rename(index, to: renamed) }
            record.fields[kept] = record.fields[index]
            kept += 1
        }
        record.fields.removeSubrange(kept...)
        return true
    }
}

extension RegexRouter: SpliceableTransformation {
    var canSplice: Bool { true }

    func splice(_ record: inout SplicedRecord) throws -> Bool {
        try apply(&record.meta)
    }
}

extension Filter: SpliceableTransformation {
    /// Only with a predicate that reads nothing but the topic.
    var canSplice: Bool { predicate is TopicNameMatches }

    func splice(_ record: inout SplicedRecord) throws -> Bool {
        try apply(&record.meta)
    }
}
