using System.Diagnostics;

namespace Orleans.Batch.Hosting.Membership.Lease;

/// <summary>This process as a lease holder, and whether a holder's process on this host still lives.</summary>
internal static class ManagerProcessIdentity
{
    /// <summary>Stamps <paramref name="lease"/> with this process's host, id and start time.</summary>
    public static ManagerLease Stamp(ManagerLease lease) => lease with
    {
        HostName = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        ProcessStartedAt = StartTimeOf(Process.GetCurrentProcess()),
    };

    /// <summary>
    /// False when the lease's holder ran on this host and its process is gone (or its id now belongs to a process
    /// that started later); true when it lives; null when this host cannot tell (another host, no process id).
    /// </summary>
    public static bool? IsHolderAlive(ManagerLease lease)
    {
        if (lease.ProcessId is not { } pid || !string.Equals(lease.HostName, Environment.MachineName, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            // A reused id: the process now holding it started after the manager did (allow for clock rounding).
            return lease.ProcessStartedAt is not { } started || StartTimeOf(process) is not { } current || current <= started.AddSeconds(1);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static DateTimeOffset? StartTimeOf(Process process)
    {
        try
        {
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
