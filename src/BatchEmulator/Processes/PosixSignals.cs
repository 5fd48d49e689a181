using System.Runtime.InteropServices;

namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>kill(2), which .NET does not expose for SIGTERM (Process.Kill always sends SIGKILL).</summary>
internal static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Sends <paramref name="signal"/> to one process; false if it does not exist (any more).</summary>
    public static bool Send(int processId, int signal) => IsSupported && Kill(processId, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to every process of a process group.</summary>
    public static bool SendToGroup(int processGroupId, int signal) => IsSupported && Kill(-processGroupId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
