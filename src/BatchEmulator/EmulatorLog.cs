using Microsoft.Extensions.Logging;

namespace Orleans.Batch.BatchEmulator;

internal static partial class EmulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "Job {JobId} ({JobName}) submitted to {Queue}{ArrayText}")]
    public static partial void JobSubmitted(ILogger logger, string jobId, string jobName, string queue, string arrayText);

    [LoggerMessage(2, LogLevel.Debug, "Job {JobId}: {OldStatus} -> {NewStatus} {StatusReason}")]
    public static partial void JobStatusChanged(ILogger logger, string jobId, string oldStatus, string newStatus, string? statusReason);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId} attempt {Attempt} started process {ProcessId}: {Executable} {Arguments}")]
    public static partial void ProcessStarted(ILogger logger, string jobId, int attempt, int processId, string executable, string arguments);

    [LoggerMessage(4, LogLevel.Information, "Job {JobId} process {ProcessId} exited with {ExitCode}")]
    public static partial void ProcessExited(ILogger logger, string jobId, int processId, int exitCode);

    [LoggerMessage(5, LogLevel.Warning, "Job {JobId} could not start its process")]
    public static partial void ProcessStartFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(6, LogLevel.Information, "Job {JobId} process {ProcessId}: sending SIGTERM ({Reason})")]
    public static partial void SendingSigterm(ILogger logger, string jobId, int processId, string reason);

    [LoggerMessage(7, LogLevel.Information, "Job {JobId} process {ProcessId}: grace period over, killing it")]
    public static partial void KillingAfterGrace(ILogger logger, string jobId, int processId);

    [LoggerMessage(8, LogLevel.Debug, "[{JobId}] {Line}")]
    public static partial void JobOutput(ILogger logger, string jobId, string line);

    [LoggerMessage(9, LogLevel.Information, "Shutting down: killing {Count} job process(es)")]
    public static partial void KillingAllProcesses(ILogger logger, int count);

    [LoggerMessage(10, LogLevel.Error, "A scheduled emulator action failed")]
    public static partial void EffectFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "{Operation} answered {StatusCode} {ErrorType}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string operation, int statusCode, string errorType, string message);

    [LoggerMessage(12, LogLevel.Information, "Fault injected into {Operation}: {Fault}")]
    public static partial void FaultInjected(ILogger logger, string operation, string fault);
}
