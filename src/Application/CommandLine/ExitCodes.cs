namespace Orleans.Batch.Application.CommandLine;

/// <summary>The Launcher's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The workload completed and everything was released.</summary>
    public const int Success = 0;

    /// <summary>The environment or the run failed (too few silos, AWS errors, a failed workload).</summary>
    public const int Failure = 1;

    /// <summary>Bad command-line input; nothing was started.</summary>
    public const int Usage = 2;

    /// <summary>
    /// Tear-down gave up while silos may still run: the cluster is marked abandoned and the message names the
    /// <c>cleanup</c> command that releases it.
    /// </summary>
    public const int TeardownIncomplete = 3;

    /// <summary>Stopped by SIGINT (Ctrl+C), after tear-down.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM, after tear-down.</summary>
    public const int Terminated = 143;
}
