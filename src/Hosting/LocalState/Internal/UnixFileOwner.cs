using System.Runtime.InteropServices;

namespace Orleans.Batch.Hosting.LocalState.Internal;

/// <summary>
/// Who owns a path, and who this process is: .NET exposes a file's mode but not its owner. On Linux <c>statx</c> has
/// one layout on every architecture, so it is read without per-platform structures; elsewhere the owner is unknown
/// and only the mode is checked.
/// </summary>
internal static partial class UnixFileOwner
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;

    // struct statx: stx_mask, stx_blksize (u32), stx_attributes (u64), stx_nlink (u32), then stx_uid (u32) at 20.
    private const int UidOffset = 20;
    private const int StatxSize = 256;

    /// <summary>Whether owners can be read on this system.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The effective user id of this process; null where owners cannot be read.</summary>
    public static uint? CurrentUser => IsSupported ? geteuid() : null;

    /// <summary>The owner of <paramref name="path"/> itself (a symbolic link is not followed); null where unknown.</summary>
    /// <param name="path">An existing path.</param>
    /// <returns>The owner's user id.</returns>
    public static unsafe uint? OwnerOf(string path)
    {
        if (!IsSupported)
        {
            return null;
        }

        var buffer = stackalloc byte[StatxSize];
        if (statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxUid, buffer) != 0)
        {
            throw new IOException($"cannot read the owner of {path} (errno {Marshal.GetLastPInvokeError()})");
        }

        return *(uint*)(buffer + UidOffset);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
