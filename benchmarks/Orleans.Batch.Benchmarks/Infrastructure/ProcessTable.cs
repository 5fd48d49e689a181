using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>What Linux says about processes, read from /proc.</summary>
internal static partial class ProcessTable
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK
    private static readonly double ClockTicksPerSecond = ReadClockTicks();

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.Length || stat[afterName + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The peak resident set size (VmHWM) of a running process, in KiB.</summary>
    public static long ReadPeakResidentKib(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var digits = line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim();
                return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmHWM line.");
    }

    /// <summary>CPU time (user + system) a running process has used so far, in seconds.</summary>
    public static double ReadCpuSeconds(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");

        // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / ClockTicksPerSecond;
    }

    /// <summary>Live processes (other than this one) whose environment holds <paramref name="variable"/>=<paramref name="value"/>.</summary>
    public static IReadOnlyList<int> FindByEnvironment(string variable, string value)
    {
        var needle = Encoding.UTF8.GetBytes($"{variable}={value}\0");
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
                if (environ.AsSpan().IndexOf(needle) >= 0 && IsRunning(pid))
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

    /// <summary>True when some socket listens on TCP <paramref name="port"/> (IPv4 or IPv6), from /proc/net/tcp*.</summary>
    public static bool IsListening(int port)
    {
        var suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "0A" && fields[1].EndsWith(suffix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The command line of a process, for messages.</summary>
    public static string Describe(int processId)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ').Trim();
            return $"{processId}: {commandLine}";
        }
        catch (IOException)
        {
            return processId.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The process and every process below it (children, grandchildren, ...), from the parent ids in /proc.</summary>
    public static IReadOnlyList<int> WithDescendants(int processId)
    {
        var parents = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));

                // Fields after "(comm)": state, then the parent id.
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (!parents.TryGetValue(parent, out var children))
                {
                    parents[parent] = children = [];
                }

                children.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        var tree = new List<int> { processId };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.GetValueOrDefault(tree[i]) ?? []);
        }

        return tree;
    }

    /// <summary>The 1-minute load average, to say how busy the machine was.</summary>
    public static double LoadAverage()
    {
        var text = File.ReadAllText("/proc/loadavg");
        return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static double ReadClockTicks()
    {
        var ticks = SystemConfiguration(ClockTicksName);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SystemConfiguration(int name);
}
