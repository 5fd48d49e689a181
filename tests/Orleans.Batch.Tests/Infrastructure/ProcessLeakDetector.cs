using System.Globalization;
using System.Text;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// Finds processes a test started, by a marker environment variable that the test sets on the process it
/// starts and that every child inherits (silo processes, emulator jobs). Linux: reads /proc/&lt;pid&gt;/environ.
/// </summary>
public sealed class ProcessLeakDetector
{
    /// <summary>The marker variable's name.</summary>
    public const string MarkerVariable = "ORLEANS_BATCH_TEST_MARKER";

    /// <summary>A new detector with a unique marker.</summary>
    public ProcessLeakDetector() => Marker = Guid.NewGuid().ToString("N");

    /// <summary>The marker value.</summary>
    public string Marker { get; }

    /// <summary>The pids of live processes carrying the marker (zombies excluded).</summary>
    public IReadOnlyList<int> FindProcesses()
    {
        var needle = Encoding.UTF8.GetBytes($"{MarkerVariable}={Marker}\0");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (environ.AsSpan().IndexOf(needle) >= 0 && !IsZombie(directory))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>The pid of the marked silo process named <paramref name="siloName"/> (its <c>OrleansBatch__Silo__Name</c>).</summary>
    public int FindSiloProcess(string siloName)
    {
        var needle = Encoding.UTF8.GetBytes($"OrleansBatch__Silo__Name={siloName}\0");
        return FindProcesses().Single(pid =>
        {
            try
            {
                return File.ReadAllBytes($"/proc/{pid}/environ").AsSpan().IndexOf(needle) >= 0;
            }
            catch (IOException)
            {
                return false;
            }
        });
    }

    /// <summary>Waits until no marked process is left, up to <paramref name="timeout"/>; returns what is left.</summary>
    public async Task<IReadOnlyList<int>> WaitUntilNoneLeftAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = FindProcesses();
            if (left.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return left;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Asserts nothing is left (waiting briefly for exits in flight), killing leftovers so one failure does not spread.</summary>
    public async Task AssertNoneLeftAsync(TimeSpan? grace = null)
    {
        var left = await WaitUntilNoneLeftAsync(grace ?? TimeSpan.FromSeconds(5));
        var described = left.Select(Describe).ToList();
        KillAll();
        described.ShouldBeEmpty("processes started by this test are still running");
    }

    /// <summary>Kills every marked process (clean-up after a failed test).</summary>
    public void KillAll()
    {
        foreach (var pid in FindProcesses())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static bool IsZombie(string directory)
    {
        var stat = File.ReadAllText(Path.Combine(directory, "stat"));
        var afterName = stat.LastIndexOf(')');
        return afterName > 0 && afterName + 2 < stat.Length && stat[afterName + 2] is 'Z' or 'X';
    }

    private static string Describe(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return $"{pid}: {cmdline}";
        }
        catch (IOException)
        {
            return pid.ToString(CultureInfo.InvariantCulture);
        }
    }
}
