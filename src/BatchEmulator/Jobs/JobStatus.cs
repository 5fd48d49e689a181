namespace Orleans.Batch.BatchEmulator.Jobs;

/// <summary>The Batch job states, in lifecycle order (the wire names are upper case).</summary>
internal enum JobStatus
{
    Submitted,
    Pending,
    Runnable,
    Starting,
    Running,
    Succeeded,
    Failed,
}

internal static class JobStatusNames
{
    private static readonly string[] Names = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED"];

    public static int Count => Names.Length;

    public static string ToWire(this JobStatus status) => Names[(int)status];

    public static bool TryParse(string? value, out JobStatus status)
    {
        var index = Array.IndexOf(Names, value);
        status = (JobStatus)Math.Max(index, 0);
        return index >= 0;
    }

    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed;

    /// <summary>True once the job holds a slot on its compute environment (STARTING or RUNNING).</summary>
    public static bool IsActive(this JobStatus status) => status is JobStatus.Starting or JobStatus.Running;

    public static string AllNames => string.Join(", ", Names);
}
