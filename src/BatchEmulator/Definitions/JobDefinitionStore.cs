namespace Orleans.Batch.BatchEmulator.Definitions;

/// <summary>Job definitions by name and revision; resolves the reference forms Batch accepts. Guarded by the engine lock.</summary>
internal sealed class JobDefinitionStore(string arnPrefix)
{
    private readonly Dictionary<string, List<RegisteredJobDefinition>> _byName = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary><c>arn:aws:batch:&lt;region&gt;:&lt;account&gt;:job-definition/</c>.</summary>
    public string ArnPrefix { get; } = arnPrefix;

    public int NextRevision(string name) => _byName.TryGetValue(name, out var revisions) ? revisions.Count + 1 : 1;

    public long NextSequence() => ++_sequence;

    public void Add(RegisteredJobDefinition definition)
    {
        if (!_byName.TryGetValue(definition.Name, out var revisions))
        {
            _byName[definition.Name] = revisions = [];
        }

        revisions.Add(definition);
    }

    /// <summary>All revisions, oldest registration first.</summary>
    public IEnumerable<RegisteredJobDefinition> All() => _byName.Values.SelectMany(r => r).OrderBy(d => d.Sequence);

    public IReadOnlyList<RegisteredJobDefinition> Revisions(string name) =>
        _byName.TryGetValue(name, out var revisions) ? revisions : [];

    /// <summary>
    /// Resolves <c>name</c>, <c>name:revision</c>, or the ARN with or without revision; without a revision the
    /// latest one is used.
    /// </summary>
    public RegisteredJobDefinition? Resolve(string reference)
    {
        var nameAndRevision = reference;
        if (reference.StartsWith("arn:", StringComparison.Ordinal))
        {
            var slash = reference.IndexOf(":job-definition/", StringComparison.Ordinal);
            if (slash < 0)
            {
                return null;
            }

            nameAndRevision = reference[(slash + ":job-definition/".Length)..];
        }

        var colon = nameAndRevision.LastIndexOf(':');
        if (colon < 0)
        {
            return _byName.TryGetValue(nameAndRevision, out var all) && all.Count > 0 ? all[^1] : null;
        }

        if (!int.TryParse(nameAndRevision.AsSpan(colon + 1), out var revision))
        {
            return null;
        }

        var revisions = Revisions(nameAndRevision[..colon]);
        return revision >= 1 && revision <= revisions.Count ? revisions[revision - 1] : null;
    }
}
