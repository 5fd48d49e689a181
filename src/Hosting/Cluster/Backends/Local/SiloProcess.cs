using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Cluster.Backends.Local;

/// <summary>
/// One silo child process: its output goes to a log file (and, above a level, to a callback), and its standard
/// input stays open as a lifeline: closing it asks the silo to stop, and it closes by itself if we die.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly LocalProcessBackendOptions _options;
    private LogLevel _currentLevel = LogLevel.Information;
    private bool _stopRequested;

    private SiloProcess(int index, string name, Process process, StreamWriter log, string logPath, LocalProcessBackendOptions options)
    {
        Index = index;
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        _options = options;
    }

    public int Index { get; }

    public string Name { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public bool StopRequested => _stopRequested;

    public static SiloProcess Start(int index, string name, string logPath, IReadOnlyDictionary<string, string> environment, LocalProcessBackendOptions options, Action<SiloProcess>? onExited = null)
    {
        // Silo logs can hold the application's data: only the user may read them (0700 directory, 0600 files).
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(options.LogDirectory);
        }
        else
        {
            Directory.CreateDirectory(options.LogDirectory, LocalState.LocalStateDirectory.PrivateMode);
        }

        var log = new StreamWriter(LocalState.Internal.PrivateFile.Open(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };

        var startInfo = new ProcessStartInfo(options.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in options.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var silo = new SiloProcess(index, name, process, log, logPath, options);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        if (onExited is not null)
        {
            process.Exited += (_, _) => onExited(silo);
        }

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

    /// <summary>Asks the silo to stop gracefully by closing its standard input.</summary>
    public void RequestStop()
    {
        if (_stopRequested)
        {
            return;
        }

        _stopRequested = true;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process is already gone; nothing to ask.
        }
        catch (InvalidOperationException)
        {
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills the silo and anything it started.</summary>
    public void Kill()
    {
        _stopRequested = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>The last lines of the silo's log, for error reports.</summary>
    public IReadOnlyList<string> ReadLogTail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var tail = new Queue<string>(lines);
            while (reader.ReadLine() is { } line)
            {
                if (tail.Count == lines)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(line);
            }

            return tail.ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            // Let the output readers drain so the log file is complete.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

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

        LogLevel level;
        lock (_logLock)
        {
            _currentLevel = LogLineLevel.Parse(line) ?? _currentLevel;
            level = _currentLevel;
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        if (level >= _options.ForwardLevel && level != LogLevel.None)
        {
            _options.OnOutput?.Invoke(new SiloOutputLine(Index, level, line));
        }
    }
}
