using System.Diagnostics;

namespace Orleans.Batch.Hosting.Membership.Lease;

/// <summary>This process as a lease holder, and whether a holder's process on this host still lives.</summary>
internal static class ManagerProcessIdentity
{
    // Read once: a lease is renewed every few seconds for the manager's whole life.
    private static readonly Lazy<DateTimeOffset?> CurrentStartTime = new(() =>
    {
        using var current = Process.GetCurrentProcess();
        return StartTimeOf(current);
    });

    /// <summary>Stamps <paramref name="lease"/> with this process's host, id and start time.</summary>
    public static ManagerLease Stamp(ManagerLease lease) => lease with
    {
        HostName = Environment.MachineName,
        ProcessId = Environment.ProcessId,
        ProcessStartedAt = CurrentStartTime.Value,
    };

    /// <summary>
    /// True when the cluster behind <paramref name="lease"/> may be released: its manager abandoned it, let it expire,
    /// or (on this host) its process is gone. The one judgement <c>list</c> and <c>cleanup</c> share.
    /// </summary>
    public static bool IsReleasable(ManagerLease lease, DateTimeOffset now) =>
        lease.Abandoned || lease.IsExpired(now) || IsHolderAlive(lease) == false;

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
