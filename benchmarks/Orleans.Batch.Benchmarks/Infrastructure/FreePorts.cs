using System.Net;
using System.Net.Sockets;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1, for the baseline silos (which take their ports from the command line).</summary>
internal static class FreePorts
{
    /// <summary>Returns <paramref name="count"/> distinct free ports (all held open until all are chosen).</summary>
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
