using System.Globalization;
using System.Runtime.InteropServices;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>Sends POSIX signals with kill(2): no helper process, so the moment of the signal is the moment measured.</summary>
internal static partial class Signals
{
    /// <summary>SIGKILL: the process ends at once, without running any of its code.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM: the Generic Host's console lifetime stops the host gracefully.</summary>
    public const int Terminate = 15;

    private const int NoSuchProcess = 3;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; a process already gone is not an error.</summary>
    public static void Send(int processId, int signal)
    {
        if (SendSignal(processId, signal) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != NoSuchProcess)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"kill({processId}, {signal}) failed with errno {errno}."));
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);
}
