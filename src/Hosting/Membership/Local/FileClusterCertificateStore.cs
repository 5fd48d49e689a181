using Orleans.Batch.Hosting.LocalState.Internal;
using Orleans.Batch.Hosting.Security.Internal;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>
/// Keeps a local cluster's certificate as <c>&lt;cluster&gt;.tls.pem</c> beside its membership file: mode 0600 in the
/// user's private state directory, deleted with the cluster's rows.
/// </summary>
internal sealed class FileClusterCertificateStore(LocalMembershipOptions options) : IClusterCertificateStore
{
    /// <inheritdoc />
    public string Describe(string clusterId) => options.GetCertificatePath(clusterId);

    /// <inheritdoc />
    public async Task PublishAsync(string clusterId, string pem, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(pem);
        options.EnsureDirectory();
        var path = options.GetCertificatePath(clusterId);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await PrivateFile.WriteAllBytesAsync(temporary, System.Text.Encoding.UTF8.GetBytes(pem), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc />
    public async Task<string?> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        options.EnsureDirectory();
        var path = options.GetCertificatePath(clusterId);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }
}
