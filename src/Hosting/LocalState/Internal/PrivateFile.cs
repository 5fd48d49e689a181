namespace Orleans.Batch.Hosting.LocalState.Internal;

/// <summary>Files of local state: created readable and writable by their owner only (0600).</summary>
internal static class PrivateFile
{
    /// <summary>The mode every local-state file is created with.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Opens <paramref name="path"/>; when the call creates it, with mode 0600.</summary>
    /// <param name="path">The file.</param>
    /// <param name="mode">How to open it (<see cref="FileMode.Open"/> creates nothing).</param>
    /// <param name="access">Read, write or both.</param>
    /// <param name="share">What other handles may do meanwhile.</param>
    /// <param name="bufferSize">The stream's buffer (1: none).</param>
    /// <param name="asynchronous">Whether the stream is used asynchronously.</param>
    /// <returns>The stream.</returns>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096, bool asynchronous = false)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = access,
            Share = share,
            BufferSize = bufferSize,
            Options = asynchronous ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows() && mode != FileMode.Open && mode != FileMode.Truncate)
        {
            options.UnixCreateMode = Mode;
        }

        return new FileStream(path, options);
    }

    /// <summary>Writes <paramref name="bytes"/> to a new or replaced file of mode 0600.</summary>
    /// <param name="path">The file.</param>
    /// <param name="bytes">Its content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await using var stream = Open(path, FileMode.Create, FileAccess.Write, FileShare.None, asynchronous: true);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to a new or replaced file of mode 0600.</summary>
    /// <param name="path">The file.</param>
    /// <param name="text">Its content.</param>
    public static void WriteAllText(string path, string text)
    {
        using var stream = Open(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
