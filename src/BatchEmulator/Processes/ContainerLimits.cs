namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>
/// The resource limits a container on this host can be given. Engines ask for 1048576 open files and processes by
/// default, which a host with lower hard limits (CI sandboxes, locked-down machines) refuses at container start.
/// </summary>
public static class ContainerLimits
{
    /// <summary>
    /// <c>--ulimit</c> arguments for a <c>run</c>: this process's hard open-files and process limits, and no more
    /// processes than the kernel has PIDs.
    /// </summary>
    /// <returns>The arguments; empty where the limits cannot be read (not Linux).</returns>
    public static IReadOnlyList<string> RunArguments()
    {
        var limits = new List<string>();
        try
        {
            var pidMax = long.TryParse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), out var pids) ? pids : long.MaxValue;
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                var name = line.StartsWith("Max open files", StringComparison.Ordinal) ? "nofile"
                    : line.StartsWith("Max processes", StringComparison.Ordinal) ? "nproc"
                    : null;
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (name is null || columns.Length < 5)
                {
                    continue;
                }

                var hard = long.TryParse(columns[^2], out var value) ? value : long.MaxValue;
                if (name == "nproc")
                {
                    hard = Math.Min(hard, pidMax);
                }

                if (hard != long.MaxValue)
                {
                    limits.Add("--ulimit");
                    limits.Add($"{name}={hard}:{hard}");
                }
            }
        }
        catch (IOException)
        {
            // not Linux: the engine's defaults apply
        }

        return limits;
    }
}
