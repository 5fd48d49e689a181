using System.Diagnostics;
using System.Text;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// Runs the real Launcher executable (the build output next to the tests) as a child process, capturing its
/// output, so tests exercise exactly what a user runs.
/// </summary>
public sealed class LauncherProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LauncherProcess(Process process) => _process = process;

    /// <summary>The path of the Launcher's dll in the test output.</summary>
    public static string LauncherDll => RepositoryPaths.LauncherDll;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Everything written to standard output so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>Everything written to standard error so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the Launcher (or another Orleans.Batch app's <paramref name="appDll"/>) with <paramref name="arguments"/>,
    /// marked for <paramref name="leaks"/>.
    /// </summary>
    public static LauncherProcess Start(ProcessLeakDetector leaks, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? appDll = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add(appDll ?? LauncherDll);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment[ProcessLeakDetector.MarkerVariable] = leaks.Marker;

        // A test must never reach a real AWS account, whatever the developer's shell has; its TMPDIR places local state.
        foreach (var variable in new[] { "AWS_BATCH_JOB_ID", "AWS_PROFILE", "XDG_RUNTIME_DIR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN" })
        {
            startInfo.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var launcher = new LauncherProcess(process);
        process.OutputDataReceived += (_, e) => launcher.Append(launcher._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => launcher.Append(launcher._stderr, e.Data);
        process.Exited += (_, _) => launcher._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return launcher;
    }

    /// <summary>Runs the Launcher to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessLeakDetector leaks, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, string? appDll = null)
    {
        await using var launcher = Start(leaks, arguments, environment, appDll);
        var exitCode = await launcher.WaitForExitAsync(timeout);
        return (exitCode, launcher.StandardOutput, launcher.StandardError);
    }

    /// <summary>Waits for the process to exit and returns its exit code; fails the test on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The launcher did not exit within {timeout}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        // Exited fires before the output is drained; WaitForExit without a timeout waits for the readers.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Waits until standard error or output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!StandardError.Contains(text, StringComparison.Ordinal) && !StandardOutput.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The launcher did not print '{text}' within {timeout} (exited: {_process.HasExited}).\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends a POSIX signal (INT, TERM, KILL) to the Launcher.</summary>
    public Task SignalAsync(string signal) => PosixSignals.SendAsync(Id, signal);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
        }
    }
}
