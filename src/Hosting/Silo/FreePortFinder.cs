using System.Net;
using System.Net.Sockets;

namespace Orleans.Batch.Hosting.Silo;

/// <summary>Finds free TCP ports, so several silos can share one host (Batch on EC2 uses host networking).</summary>
/// <remarks>
/// A port found free can be taken by another process before Orleans binds it; callers retry with new ports
/// when the silo fails to start with "address in use" (see <see cref="SiloHostRunner"/>).
/// </remarks>
internal static class FreePortFinder
{
    /// <summary>Returns <paramref name="count"/> distinct ports that are free on <paramref name="address"/> right now.</summary>
    public static int[] FindFreePorts(IPAddress address, int count)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        // Hold every listener until all are chosen so the kernel cannot hand out the same port twice.
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(address, 0);
                listener.Start();
                listeners.Add(listener);
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
}
