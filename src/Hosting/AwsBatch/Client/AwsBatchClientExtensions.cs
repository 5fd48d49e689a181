using System.Runtime.CompilerServices;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>Conveniences over any <see cref="IAwsBatchClient"/>: describing many jobs and paging through <c>ListJobs</c>.</summary>
internal static class AwsBatchClientExtensions
{
    /// <summary>
    /// Describes any number of jobs, in sequential <c>DescribeJobs</c> calls of at most
    /// <see cref="DescribeJobsRequest.MaxJobIds"/> ids. Duplicate ids are described once; ids that do not exist are left out.
    /// </summary>
    /// <param name="client">The client.</param>
    /// <param name="jobIds">The job ids (children as <c>&lt;parent&gt;:&lt;index&gt;</c>).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The jobs, in the order of the responses.</returns>
    public static async Task<IReadOnlyList<JobDetail>> DescribeJobsAsync(this IAwsBatchClient client, IEnumerable<string> jobIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(jobIds);
        var jobs = new List<JobDetail>();
        foreach (var chunk in jobIds.Distinct(StringComparer.Ordinal).Chunk(DescribeJobsRequest.MaxJobIds))
        {
            var response = await client.DescribeJobsAsync(new DescribeJobsRequest { Jobs = chunk }, cancellationToken).ConfigureAwait(false);
            jobs.AddRange(response.Jobs);
        }

        return jobs;
    }

    /// <summary>Lists every job matching <paramref name="request"/>, following <c>nextToken</c> page by page as the caller enumerates.</summary>
    /// <param name="client">The client.</param>
    /// <param name="request">The first page's request; its <see cref="ListJobsRequest.NextToken"/> is where listing starts.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The jobs.</returns>
    public static async IAsyncEnumerable<JobSummary> ListAllJobsAsync(this IAwsBatchClient client, ListJobsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var page = request;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var response = await client.ListJobsAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var job in response.JobSummaryList)
            {
                yield return job;
            }

            if (string.IsNullOrEmpty(response.NextToken))
            {
                yield break;
            }

            if (!seenTokens.Add(response.NextToken))
            {
                // A service (or emulator) handing out the same token again would otherwise loop forever.
                throw new AwsBatchException("ListJobs", AwsBatchErrorCodes.InvalidResponse, $"the service returned the page token '{response.NextToken}' twice");
            }

            page = new ListJobsRequest
            {
                JobQueue = request.JobQueue,
                ArrayJobId = request.ArrayJobId,
                JobStatus = request.JobStatus,
                Filters = request.Filters,
                MaxResults = request.MaxResults,
                NextToken = response.NextToken,
            };
        }
    }
}
