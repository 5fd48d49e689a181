using System.Collections.Concurrent;

namespace Orleans.Batch.BatchEmulator.Stats;

/// <summary>Per-operation counts of API calls (every authenticated call, whatever its answer).</summary>
internal sealed class ApiCallCounters
{
    private readonly ConcurrentDictionary<string, OperationCounter> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Caller, string Operation), long> _byCaller = new();
    private long _rejected;

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Counts a call of <paramref name="operation"/> signed with <paramref name="caller"/>'s access key.</summary>
    public void Called(string operation, string caller)
    {
        Interlocked.Increment(ref Counter(operation).Calls);
        _byCaller.AddOrUpdate((caller, operation), 1, static (_, count) => count + 1);
    }

    /// <summary>Calls by access key and operation: which role (job role credentials) sent what.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, long>> ByCaller() =>
        _byCaller.GroupBy(e => e.Key.Caller, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(e => e.Key.Operation, e => e.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    public void Failed(string operation) => Interlocked.Increment(ref Counter(operation).Errors);

    public void Faulted(string operation) => Interlocked.Increment(ref Counter(operation).Faults);

    /// <summary>A request refused before it reached an operation (authentication).</summary>
    public void RejectedRequest() => Interlocked.Increment(ref _rejected);

    public IReadOnlyDictionary<string, (long Calls, long Errors, long Faults)> Snapshot() =>
        _operations.ToDictionary(
            p => p.Key,
            p => (Interlocked.Read(ref p.Value.Calls), Interlocked.Read(ref p.Value.Errors), Interlocked.Read(ref p.Value.Faults)),
            StringComparer.Ordinal);

    public void Reset()
    {
        _operations.Clear();
        _byCaller.Clear();
        Interlocked.Exchange(ref _rejected, 0);
    }

    private OperationCounter Counter(string operation) => _operations.GetOrAdd(operation, static _ => new OperationCounter());

    private sealed class OperationCounter
    {
        public long Calls;
        public long Errors;
        public long Faults;
    }
}
