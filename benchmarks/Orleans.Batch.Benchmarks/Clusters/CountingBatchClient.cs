using System.Collections.Concurrent;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>
/// Passes every call to the real <see cref="AwsBatchClient"/> and counts the calls per operation, so the harness can
/// split them by phase (submit, each poll, tear-down) without asking the emulator in between. The emulator's own
/// counters (<c>GET /_emulator/stats</c>) are the check: they also count retried attempts.
/// </summary>
internal sealed class CountingBatchClient(IAwsBatchClient inner) : IAwsBatchClient
{
    private readonly ConcurrentDictionary<string, long> _calls = new(StringComparer.Ordinal);

    /// <summary>Calls per operation so far.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_calls, StringComparer.Ordinal);

    /// <summary>Calls of <paramref name="operation"/> so far.</summary>
    public long Calls(string operation) => _calls.GetValueOrDefault(operation);

    public Task<SubmitJobResponse> SubmitJobAsync(SubmitJobRequest request, CancellationToken cancellationToken = default)
    {
        Count("SubmitJob");
        return inner.SubmitJobAsync(request, cancellationToken);
    }

    public Task<DescribeJobsResponse> DescribeJobsAsync(DescribeJobsRequest request, CancellationToken cancellationToken = default)
    {
        Count("DescribeJobs");
        return inner.DescribeJobsAsync(request, cancellationToken);
    }

    public Task TerminateJobAsync(TerminateJobRequest request, CancellationToken cancellationToken = default)
    {
        Count("TerminateJob");
        return inner.TerminateJobAsync(request, cancellationToken);
    }

    public Task CancelJobAsync(CancelJobRequest request, CancellationToken cancellationToken = default)
    {
        Count("CancelJob");
        return inner.CancelJobAsync(request, cancellationToken);
    }

    public Task<ListJobsResponse> ListJobsAsync(ListJobsRequest request, CancellationToken cancellationToken = default)
    {
        Count("ListJobs");
        return inner.ListJobsAsync(request, cancellationToken);
    }

    public Task<DescribeComputeEnvironmentsResponse> DescribeComputeEnvironmentsAsync(DescribeComputeEnvironmentsRequest request, CancellationToken cancellationToken = default)
    {
        Count("DescribeComputeEnvironments");
        return inner.DescribeComputeEnvironmentsAsync(request, cancellationToken);
    }

    public Task<DescribeJobQueuesResponse> DescribeJobQueuesAsync(DescribeJobQueuesRequest request, CancellationToken cancellationToken = default)
    {
        Count("DescribeJobQueues");
        return inner.DescribeJobQueuesAsync(request, cancellationToken);
    }

    public Task<DescribeJobDefinitionsResponse> DescribeJobDefinitionsAsync(DescribeJobDefinitionsRequest request, CancellationToken cancellationToken = default)
    {
        Count("DescribeJobDefinitions");
        return inner.DescribeJobDefinitionsAsync(request, cancellationToken);
    }

    public Task<RegisterJobDefinitionResponse> RegisterJobDefinitionAsync(RegisterJobDefinitionRequest request, CancellationToken cancellationToken = default)
    {
        Count("RegisterJobDefinition");
        return inner.RegisterJobDefinitionAsync(request, cancellationToken);
    }

    private void Count(string operation) => _calls.AddOrUpdate(operation, 1, static (_, calls) => calls + 1);
}
