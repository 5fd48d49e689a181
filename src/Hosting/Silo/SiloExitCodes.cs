namespace Orleans.Batch.Hosting.Silo;

/// <summary>The exit codes of a silo process that its manager and AWS Batch read.</summary>
public static class SiloExitCodes
{
    /// <summary>The silo stopped as asked (or on its own, gracefully).</summary>
    public const int Success = 0;

    /// <summary>
    /// The silo left the cluster because its compute is being taken away (an EC2 Spot interruption notice): not the
    /// workload's fault, so the job is tried again (Batch <c>evaluateOnExit</c>, and the local backend alike).
    /// 75 is <c>EX_TEMPFAIL</c>: a temporary failure, worth retrying.
    /// </summary>
    public const int Interrupted = 75;

    /// <summary>What a process killed with SIGKILL reports (128 + 9): an out-of-memory kill or another process's doing.</summary>
    public const int Killed = 137;
}
