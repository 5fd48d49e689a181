namespace Orleans.Batch.BatchEmulator.Faults;

/// <summary>Faults armed through the admin API, consumed by the next matching calls in arrival order.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];

    public static bool TryParseKind(string? text, out FaultKind kind)
    {
        (var known, kind) = text switch
        {
            "throttle" => (true, FaultKind.Throttle),
            "server-error" => (true, FaultKind.ServerError),
            "drop-response" => (true, FaultKind.DropResponse),
            _ => (false, default),
        };
        return known;
    }

    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.Throttle => "throttle",
        FaultKind.ServerError => "server-error",
        _ => "drop-response",
    };

    public void Add(FaultKind kind, string? operation, int count)
    {
        lock (_gate)
        {
            _rules.Add(new FaultRule(kind, operation) { Remaining = count });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public List<(FaultKind Kind, string? Operation, int Remaining)> Snapshot()
    {
        lock (_gate)
        {
            return _rules.Select(r => (r.Kind, r.Operation, r.Remaining)).ToList();
        }
    }

    /// <summary>Consumes one fault for <paramref name="operation"/>, if any is armed.</summary>
    public FaultKind? Take(string operation)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Operation is null || r.Operation == operation);
            if (rule is null)
            {
                return null;
            }

            if (--rule.Remaining == 0)
            {
                _rules.Remove(rule);
            }

            return rule.Kind;
        }
    }

    private sealed class FaultRule(FaultKind kind, string? operation)
    {
        public FaultKind Kind { get; } = kind;

        public string? Operation { get; } = operation;

        public int Remaining { get; set; }
    }
}
