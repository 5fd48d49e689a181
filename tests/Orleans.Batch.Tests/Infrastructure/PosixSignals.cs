using System.Diagnostics;
using System.Globalization;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>Sends POSIX signals with the system's <c>kill</c> command.</summary>
public static class PosixSignals
{
    /// <summary>Sends <paramref name="signal"/> (INT, TERM, KILL, ...) to <paramref name="processId"/>.</summary>
    public static async Task SendAsync(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, processId.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        await kill.WaitForExitAsync();
        kill.ExitCode.ShouldBe(0, $"kill -s {signal} {processId} failed: {await kill.StandardError.ReadToEndAsync()}");
    }
}
