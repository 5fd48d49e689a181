namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>The turn of a local cluster: an exclusive lock on a file beside its table, released by the kernel if its holder dies.</summary>
internal sealed class FileMembershipTurnLock(LocalMembershipOptions options) : IMembershipTurnLock
{
    /// <inheritdoc />
    public Task<IAsyncDisposable?> TryEnterAsync(string clusterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        options.EnsureDirectory();
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            IAsyncDisposable turn = new FileStream(options.GetTransitionLockPath(clusterId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return Task.FromResult<IAsyncDisposable?>(turn);
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null);
        }
    }
}
