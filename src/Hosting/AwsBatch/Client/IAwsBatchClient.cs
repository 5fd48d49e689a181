using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Hosting.AwsBatch;

/// <summary>
/// The AWS Batch operations Orleans.Batch uses. <see cref="AwsBatchClient"/> calls the service (or an emulator at
/// <see cref="AwsBatchClientOptions.ServiceUrl"/>); tests can substitute another implementation. Every method throws
/// <see cref="AwsBatchException"/> when the call fails and <see cref="OperationCanceledException"/> when cancelled.
/// </summary>
internal interface IAwsBatchClient
{
    /// <summary>
    /// Submits a job. If an attempt's response is lost, the client looks the job name up with <c>ListJobs</c> and
    /// returns the job found instead of submitting a duplicate, so give every submission a unique name.
    /// </summary>
    /// <param name="request">The job.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new job's id, name and ARN.</returns>
    Task<SubmitJobResponse> SubmitJobAsync(SubmitJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes up to 100 jobs; ids that do not exist are left out of the result.</summary>
    /// <param name="request">The job ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The jobs.</returns>
    Task<DescribeJobsResponse> DescribeJobsAsync(DescribeJobsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Terminates a job in any non-terminal status (an array parent terminates its children).</summary>
    /// <param name="request">The job and reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the service accepted the request.</returns>
    Task TerminateJobAsync(TerminateJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancels a job that has not started yet.</summary>
    /// <param name="request">The job and reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the service accepted the request.</returns>
    Task CancelJobAsync(CancelJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists one page of jobs of a queue or of an array job.</summary>
    /// <param name="request">The queue or array job, filters and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    Task<ListJobsResponse> ListJobsAsync(ListJobsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes compute environments (<c>DescribeComputeEnvironments</c>): their state, status and capacity.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The environments that exist.</returns>
    Task<DescribeComputeEnvironmentsResponse> DescribeComputeEnvironmentsAsync(DescribeComputeEnvironmentsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes job queues.</summary>
    /// <param name="request">The queues (empty for all) and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The queues.</returns>
    Task<DescribeJobQueuesResponse> DescribeJobQueuesAsync(DescribeJobQueuesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes job definitions.</summary>
    /// <param name="request">The definitions, name or status, and page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The definitions.</returns>
    Task<DescribeJobDefinitionsResponse> DescribeJobDefinitionsAsync(DescribeJobDefinitionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Registers a new revision of a job definition.</summary>
    /// <param name="request">The definition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The name, ARN and revision.</returns>
    Task<RegisterJobDefinitionResponse> RegisterJobDefinitionAsync(RegisterJobDefinitionRequest request, CancellationToken cancellationToken = default);
}
