namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>Named moments of one launch or tear-down, as offsets from its start.</summary>
internal sealed class Timeline
{
    private readonly List<KeyValuePair<string, TimeSpan>> _marks = [];

    public IReadOnlyList<KeyValuePair<string, TimeSpan>> Marks => _marks;

    public void Mark(string name, TimeSpan offset) => _marks.Add(new(name, offset));

    public TimeSpan? this[string name] => _marks.Where(m => m.Key == name).Select(m => (TimeSpan?)m.Value).FirstOrDefault();
}
