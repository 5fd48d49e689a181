using System.Globalization;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// Reads /proc to tell which processes and process groups are still alive. Zombies count as gone: an orphan can
/// stay a zombie for a while until init reaps it, but it no longer runs.
/// </summary>
public static class ProcessTable
{
    /// <summary>Fails the test with a clear message where /proc is not available.</summary>
    public static void RequireProcFileSystem()
    {
        Directory.Exists("/proc/self").ShouldBeTrue("these tests run job processes and inspect them through /proc: run them on Linux");
    }

    /// <summary>The live (non-zombie) processes, with their process group and command line.</summary>
    public static IReadOnlyList<LiveProcess> Snapshot()
    {
        RequireProcFileSystem();
        var processes = new List<LiveProcess>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var state = fields[0][0];
                if (state is 'Z' or 'X')
                {
                    continue;
                }

                var group = int.Parse(fields[2], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                processes.Add(new LiveProcess(pid, group, commandLine));
            }
            catch (IOException)
            {
                // ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return processes;
    }

    /// <summary>Waits until no live process matches <paramref name="isOurs"/>; fails listing the survivors.</summary>
    public static async Task ShouldAllBeGoneAsync(Func<LiveProcess, bool> isOurs, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        List<LiveProcess> survivors;
        while ((survivors = Snapshot().Where(isOurs).ToList()).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        survivors.ShouldBeEmpty($"{what}: these processes are still running: {string.Join("; ", survivors)}");
    }
}

public sealed record LiveProcess(int Pid, int ProcessGroupId, string CommandLine)
{
    public override string ToString() => $"pid {Pid} (group {ProcessGroupId}) {CommandLine}";
}
