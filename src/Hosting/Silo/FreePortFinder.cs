using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Batch.Hosting.Silo;

/// <summary>Finds free TCP ports, so several silos can share one host (Batch on EC2 uses host networking).</summary>
/// <remarks>
/// Ports come from outside the kernel's ephemeral range: a port the kernel hands out for "any free port" or for
/// an outgoing connection's local end can be taken again by any process between our pick and Orleans' bind,
/// while a port below that range is only ever taken by someone who asked for it by number. A pick can still
/// race with another silo's, so callers retry with new ports when the silo fails to start with "address in
/// use" (see <see cref="SiloHostRunner"/>).
/// </remarks>
internal static class FreePortFinder
{
    /// <summary>Lowest port we pick: above the well-known and most registered service ports.</summary>
    internal const int LowestPort = 10_000;

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    // Linux's default ephemeral range, for hosts that do not say (IANA's 49152-65535 is above it on other systems).
    private static readonly (int Low, int High) DefaultEphemeralRange = (32_768, 60_999);

    /// <summary>Returns <paramref name="count"/> distinct ports that are free on <paramref name="address"/> right now.</summary>
    public static int[] FindFreePorts(IPAddress address, int count)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        var candidates = CandidateRange(EphemeralRange());

        // Hold every listener until all are chosen so no port is returned twice.
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var tries = 0; listeners.Count < count && tries < 200; tries++)
            {
                var listener = TryListen(address, Random.Shared.Next(candidates.Low, candidates.High + 1));
                if (listener is not null)
                {
                    listeners.Add(listener);
                }
            }

            // A host that uses the whole range for itself: let the kernel choose.
            while (listeners.Count < count)
            {
                listeners.Add(TryListen(address, 0) ?? throw new InvalidOperationException($"No free TCP port on {address}."));
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>The ports we pick from, given the kernel's ephemeral range: below it, or above it when below is too small.</summary>
    internal static (int Low, int High) CandidateRange((int Low, int High) ephemeral)
    {
        if (ephemeral.Low - LowestPort >= 1_000)
        {
            return (LowestPort, ephemeral.Low - 1);
        }

        if (IPEndPoint.MaxPort - ephemeral.High >= 1_000)
        {
            return (ephemeral.High + 1, IPEndPoint.MaxPort);
        }

        return (LowestPort, IPEndPoint.MaxPort);
    }

    /// <summary>The kernel's ephemeral port range (Linux), or Linux's default where the host does not say.</summary>
    internal static (int Low, int High) EphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && low <= high)
            {
                return (low, high);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or a sandbox that hides /proc.
        }

        return DefaultEphemeralRange;
    }

    /// <summary>True when <paramref name="exception"/> (or one it wraps) says a port was already taken.</summary>
    public static bool IsAddressInUse(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
    }

    private static TcpListener? TryListen(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }
}
