using Orleans.Batch.Benchmarks.Clusters;

namespace Orleans.Batch.Benchmarks.Results;

/// <summary>Every sample of the run, by metric and side, plus the breakdowns that explain them.</summary>
internal sealed class Measurements
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Metric, Side Side), List<double>> _samples = [];
    private readonly Dictionary<(string Group, string Item, Side Side), List<double>> _breakdown = [];
    private readonly List<string> _errors = [];
    private readonly List<string> _notes = [];

    public List<Metric> Metrics { get; } = [];

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (_gate)
            {
                return [.. _notes];
            }
        }
    }

    public Metric Define(Metric metric)
    {
        if (!Metrics.Any(m => m.Key == metric.Key))
        {
            Metrics.Add(metric);
        }

        return metric;
    }

    public void Add(Metric metric, Side side, double value)
    {
        lock (_gate)
        {
            if (!_samples.TryGetValue((metric.Key, side), out var list))
            {
                _samples[(metric.Key, side)] = list = [];
            }

            list.Add(value);
        }
    }

    public IReadOnlyList<double> Samples(Metric metric, Side side)
    {
        lock (_gate)
        {
            return _samples.TryGetValue((metric.Key, side), out var list) ? [.. list] : [];
        }
    }

    /// <summary>Adds one sample of a breakdown item (e.g. group "launch, 4 silos", item "membership: joining, last silo").</summary>
    public void AddBreakdown(string group, string item, Side side, double value)
    {
        lock (_gate)
        {
            if (!_breakdown.TryGetValue((group, item, side), out var list))
            {
                _breakdown[(group, item, side)] = list = [];
            }

            list.Add(value);
        }
    }

    /// <summary>Breakdown groups and their items, in the order first seen.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Items)> BreakdownGroups()
    {
        lock (_gate)
        {
            return _breakdown.Keys
                .GroupBy(k => k.Group)
                .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(k => k.Item).Distinct().ToList()))
                .ToList();
        }
    }

    public IReadOnlyList<double> BreakdownSamples(string group, string item, Side side)
    {
        lock (_gate)
        {
            return _breakdown.TryGetValue((group, item, side), out var list) ? [.. list] : [];
        }
    }

    public void Error(string message)
    {
        lock (_gate)
        {
            _errors.Add(message);
        }
    }

    public void Note(string message)
    {
        lock (_gate)
        {
            _notes.Add(message);
        }
    }
}
