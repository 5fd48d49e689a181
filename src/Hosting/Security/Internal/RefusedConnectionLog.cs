using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;

namespace Orleans.Batch.Hosting.Security.Internal;

/// <summary>
/// Says, once per peer address, that a connection was refused because it did not complete a TLS handshake with the
/// cluster's certificate (a plaintext client, another cluster, a port scanner). Orleans itself warns on every failed
/// handshake, which a scanner would turn into a flood; this is the one line an operator needs.
/// </summary>
internal sealed partial class RefusedConnectionLog(ILogger<RefusedConnectionLog> logger)
{
    private readonly ConcurrentDictionary<string, int> _refusals = new(StringComparer.Ordinal);

    /// <summary>How many connections were refused, by peer address.</summary>
    public IReadOnlyDictionary<string, int> Refusals => _refusals;

    /// <summary>
    /// The middleware, placed in front of Orleans' TLS middleware: when that one returns without a peer certificate,
    /// the handshake failed and the connection was closed.
    /// </summary>
    /// <param name="listener">The listener, for the message (silo or gateway).</param>
    /// <returns>The middleware.</returns>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware(string listener) => next => async context =>
    {
        await next(context).ConfigureAwait(false);
        if (context.Features.Get<ITlsConnectionFeature>() is { RemoteCertificate: null })
        {
            Refused(context.RemoteEndPoint, listener);
        }
    };

    private void Refused(EndPoint? remote, string listener)
    {
        var peer = remote is IPEndPoint ip ? ip.Address.ToString() : remote?.ToString() ?? "an unknown peer";
        if (_refusals.AddOrUpdate(peer, 1, (_, count) => count + 1) == 1)
        {
            LogRefused(logger, peer, listener);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster TLS: refused a connection from {Peer} to the {Listener} port: it did not present this cluster's certificate (further refusals from {Peer} are not logged)")]
    private static partial void LogRefused(ILogger logger, string peer, string listener);
}
