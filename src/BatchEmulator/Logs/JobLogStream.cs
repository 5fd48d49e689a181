namespace Orleans.Batch.BatchEmulator.Logs;

/// <summary>One log stream (a job attempt's stdout and stderr), appended to by the process reader threads.</summary>
internal sealed class JobLogStream(string name, int capacity)
{
    private readonly Lock _gate = new();
    private readonly List<LogEvent> _events = [];

    public string Name { get; } = name;

    /// <summary>Events dropped from the head because the stream reached its capacity.</summary>
    public long Dropped { get; private set; }

    public void Append(long timestamp, string message)
    {
        lock (_gate)
        {
            if (_events.Count >= capacity)
            {
                // Keep the newest events, like a retention policy would; halving keeps appends amortised O(1).
                var drop = Math.Max(1, capacity / 2);
                _events.RemoveRange(0, drop);
                Dropped += drop;
            }

            _events.Add(new LogEvent(timestamp, message, timestamp));
        }
    }

    /// <summary>A copy of the events with timestamp in [startTime, endTime).</summary>
    public List<LogEvent> Snapshot(long? startTime, long? endTime)
    {
        lock (_gate)
        {
            if (startTime is null && endTime is null)
            {
                return [.. _events];
            }

            return _events.Where(e => (startTime is null || e.Timestamp >= startTime) && (endTime is null || e.Timestamp < endTime)).ToList();
        }
    }
}

internal readonly record struct LogEvent(long Timestamp, string Message, long IngestionTime);
