using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>One Baseline.Silo process; its output goes to a log file, exactly as ours' silo output does.</summary>
internal sealed class BaselineSiloProcess : IDisposable
{
    /// <summary>The console format ours' silos get from LocalProcessBackend, so that both logs read the same.</summary>
    private static readonly Dictionary<string, string> ConsoleFormat = new(StringComparer.Ordinal)
    {
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled",
    };

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly ConcurrentQueue<string> _errors;

    private BaselineSiloProcess(Process process, StreamWriter log, ConcurrentQueue<string> errors)
    {
        _process = process;
        _log = log;
        _errors = errors;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static BaselineSiloProcess Start(string fileName, IReadOnlyList<string> arguments, string logPath, ConcurrentQueue<string> errors)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in ConsoleFormat)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var silo = new BaselineSiloProcess(process, log, errors);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public string Describe() => _process.HasExited
        ? string.Create(CultureInfo.InvariantCulture, $"exited with code {_process.ExitCode}")
        : string.Create(CultureInfo.InvariantCulture, $"running as pid {_process.Id}");

    public void Dispose()
    {
        Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        // The same level filter ours applies (LogLineLevel: "fail:" and "crit:" are errors).
        if (line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal))
        {
            _errors.Enqueue(line);
        }
    }
}
