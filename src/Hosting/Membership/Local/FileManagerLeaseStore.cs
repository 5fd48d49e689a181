using Orleans.Batch.Hosting.LocalState.Internal;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>
/// Keeps a local cluster's manager lease in a file beside its membership table, replaced atomically so readers
/// need no lock.
/// </summary>
/// <remarks>
/// The checks before a write are not atomic against another writer, which a local cluster does not need: its
/// silos also watch the manager's process and stop with it.
/// </remarks>
internal sealed class FileManagerLeaseStore(LocalMembershipOptions options) : IManagerLeaseStore
{
    /// <inheritdoc />
    public async Task<bool> WriteAsync(string clusterId, ManagerLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!lease.Abandoned && (await ReadAsync(clusterId, cancellationToken).ConfigureAwait(false))?.Abandoned == true)
        {
            return false;
        }

        options.EnsureDirectory();
        var path = options.GetLeasePath(clusterId);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await PrivateFile.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(lease, LeaseJsonContext.Default.ManagerLease), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <inheritdoc />
    public async Task<ManagerLease?> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        var path = options.GetLeasePath(clusterId);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(bytes, LeaseJsonContext.Default.ManagerLease);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The manager lease file '{path}' is malformed: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public async Task<bool> MarkAbandonedAsync(string clusterId, long seenRenewals, CancellationToken cancellationToken)
    {
        var lease = await ReadAsync(clusterId, cancellationToken).ConfigureAwait(false);
        if (lease is null || lease.Abandoned || lease.Renewals != seenRenewals)
        {
            return false;
        }

        await WriteAsync(clusterId, lease with { Abandoned = true }, cancellationToken).ConfigureAwait(false);
        return true;
    }
}

[JsonSerializable(typeof(ManagerLease))]
internal sealed partial class LeaseJsonContext : JsonSerializerContext;
