using System.Collections.Concurrent;

namespace Orleans.Batch.BatchEmulator.Logs;

/// <summary>The log group <c>/aws/batch/job</c>: every job attempt's stream, by stream name.</summary>
internal sealed class JobLogStore(int capacityPerStream)
{
    public const string LogGroupName = "/aws/batch/job";

    private readonly ConcurrentDictionary<string, JobLogStream> _streams = new(StringComparer.Ordinal);

    public JobLogStream Create(string streamName) =>
        _streams.GetOrAdd(streamName, name => new JobLogStream(name, capacityPerStream));

    public JobLogStream? Find(string streamName) => _streams.TryGetValue(streamName, out var stream) ? stream : null;
}
