using Microsoft.Extensions.Logging;
using Orleans.Batch.Hosting.AwsBatch;
using Orleans.Batch.Hosting.AwsBatch.Model;

namespace Orleans.Batch.Hosting.Cluster.Backends.AwsBatch;

/// <summary>
/// Terminates a cluster's silo jobs and does not stop until Batch confirms it: TerminateJob is retried with backoff
/// while Batch throttles or fails, then DescribeJobs shows every job ended or ending (<c>isTerminated</c>,
/// <c>isCancelled</c>); jobs that are neither are terminated again one by one. All of it within the request's
/// give-up time, and a forced stop (second Ctrl+C) cuts it short.
/// </summary>
internal sealed partial class AwsBatchJobTerminator(IAwsBatchClient client, AwsBatchBackendOptions options, TimeProvider time, ILogger logger)
{
    private const string Reason = "Orleans.Batch manager tear-down";
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Terminates <paramref name="jobId"/> (whose silos are <paramref name="siloJobIds"/>) and confirms it.</summary>
    public async Task<TeardownOutcome> TerminateAsync(string jobId, IReadOnlyList<string> siloJobIds, TeardownRequest request, CancellationToken force)
    {
        var started = time.GetTimestamp();
        var what = siloJobIds.Count == 1 ? $"job {jobId}" : $"array job {jobId} ({siloJobIds.Count} children)";
        var calls = 0;

        if (!await TerminateWithRetriesAsync(jobId, what, request, started, force).ConfigureAwait(false))
        {
            return GaveUp(what, siloJobIds, ended: 0, $"TerminateJob for {what} was never accepted");
        }

        calls++;
        LogTerminated(logger, jobId);

        // Confirm: every silo job ended, or Batch has marked it as being terminated. The first TerminationWaitLimit
        // also waits for jobs to actually end, so the report can say how they ended.
        var warnedDescribe = false;
        var lastRetry = time.GetTimestamp();
        var backoff = FirstBackoff;
        while (true)
        {
            IReadOnlyList<JobDetail>? jobs = null;
            try
            {
                jobs = await client.DescribeJobsAsync(siloJobIds, force).ConfigureAwait(false);
            }
            catch (AwsBatchException exception) when (exception.IsRetryable)
            {
                if (!warnedDescribe)
                {
                    warnedDescribe = true;
                    request.Report?.Invoke($"DescribeJobs failed while confirming the tear-down ({exception.ErrorCode}); retrying for up to {DurationText.Format(request.GiveUpAfter)}");
                }
            }
            catch (OperationCanceledException) when (force.IsCancellationRequested)
            {
                return GaveUp(what, siloJobIds, ended: 0, "the tear-down was cut short before Batch confirmed it");
            }

            if (jobs is not null)
            {
                var byId = jobs.ToDictionary(j => j.JobId, StringComparer.Ordinal);

                // DescribeJobs leaves out jobs Batch no longer knows: those are gone.
                var ended = siloJobIds.Count(id => !byId.TryGetValue(id, out var job) || job.Status is JobStatus.Succeeded or JobStatus.Failed);
                var running = siloJobIds.Where(id => byId.TryGetValue(id, out var job) && job.Status is not (JobStatus.Succeeded or JobStatus.Failed)).ToList();
                var unmarked = running.Where(id => byId[id] is not { IsTerminated: true } and not { IsCancelled: true }).ToList();
                var waited = time.GetElapsedTime(started);
                if (running.Count == 0)
                {
                    return new TeardownOutcome(ended, 0, $"{calls} TerminateJob for {what}; all ended");
                }

                if (unmarked.Count == 0 && waited >= options.TerminationWaitLimit)
                {
                    return new TeardownOutcome(ended, 0, $"{calls} TerminateJob for {what}; {ended} ended, {running.Count} still stopping (Batch ends them)");
                }

                // Jobs Batch has not marked after a while: ask again for each, with backoff.
                if (unmarked.Count > 0 && time.GetElapsedTime(lastRetry) >= options.TerminationWaitLimit)
                {
                    request.Report?.Invoke($"{unmarked.Count} silo job(s) still run without being marked for termination; terminating them one by one");
                    foreach (var id in unmarked.Take(100))
                    {
                        if (await TryTerminateOnceAsync(id, force).ConfigureAwait(false))
                        {
                            calls++;
                        }
                    }

                    lastRetry = time.GetTimestamp();
                }

                if (waited >= request.GiveUpAfter || force.IsCancellationRequested)
                {
                    return GaveUp(what, unmarked.Count > 0 ? unmarked : running, ended, $"Batch did not confirm within {DurationText.Format(request.GiveUpAfter)}");
                }

                backoff = options.TerminationPollInterval;
            }
            else if (time.GetElapsedTime(started) >= request.GiveUpAfter)
            {
                return GaveUp(what, siloJobIds, ended: 0, $"DescribeJobs kept failing for {DurationText.Format(request.GiveUpAfter)}");
            }
            else
            {
                backoff = Next(backoff);
            }

            if (!await DelayAsync(backoff, force).ConfigureAwait(false))
            {
                return GaveUp(what, siloJobIds, ended: 0, "the tear-down was cut short before Batch confirmed it");
            }
        }
    }

    /// <summary>Sends TerminateJob until Batch accepts it, the give-up time passes, or the stop is forced.</summary>
    private async Task<bool> TerminateWithRetriesAsync(string jobId, string what, TeardownRequest request, long started, CancellationToken force)
    {
        var backoff = FirstBackoff;
        var reported = false;
        while (true)
        {
            try
            {
                // Not cancelled by force: a TerminateJob in flight is cheap to finish and expensive to lose.
                await client.TerminateJobAsync(new TerminateJobRequest { JobId = jobId, Reason = Reason }, CancellationToken.None).ConfigureAwait(false);
                if (reported)
                {
                    request.Report?.Invoke($"TerminateJob for {what} accepted after {DurationText.Format(time.GetElapsedTime(started))}");
                }

                return true;
            }
            catch (AwsBatchException exception) when (exception.IsRetryable)
            {
                LogTerminateFailed(logger, jobId, exception);
                var remaining = request.GiveUpAfter - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero || force.IsCancellationRequested)
                {
                    return false;
                }

                if (!reported)
                {
                    reported = true;
                    request.Report?.Invoke(
                        $"TerminateJob for {what} failed ({exception.ErrorCode}); retrying with backoff for up to {DurationText.Format(request.GiveUpAfter)} (press Ctrl+C again to stop trying)");
                }

                if (!await DelayAsync(backoff < remaining ? backoff : remaining, force).ConfigureAwait(false))
                {
                    return false;
                }

                backoff = Next(backoff);
            }
            catch (AwsBatchException exception)
            {
                // Not retryable (access denied, a bad request): retrying cannot help, and the person must know now.
                LogTerminateFailed(logger, jobId, exception);
                request.Report?.Invoke($"TerminateJob for {what} was refused: {exception.Message}");
                return false;
            }
        }
    }

    private async Task<bool> TryTerminateOnceAsync(string jobId, CancellationToken force)
    {
        try
        {
            await client.TerminateJobAsync(new TerminateJobRequest { JobId = jobId, Reason = Reason }, force).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is AwsBatchException or OperationCanceledException)
        {
            LogTerminateFailed(logger, jobId, exception);
            return false;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken force)
    {
        try
        {
            await Task.Delay(delay, time, force).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TimeSpan Next(TimeSpan backoff) => backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;

    private static TeardownOutcome GaveUp(string what, IReadOnlyList<string> left, int ended, string why) =>
        new(ended, 0, $"gave up on {what}: {why}") { StillRunning = left };

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminated job {JobId}")]
    private static partial void LogTerminated(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TerminateJob for {JobId} failed")]
    private static partial void LogTerminateFailed(ILogger logger, string jobId, Exception exception);
}
