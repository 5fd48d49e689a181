using Orleans.Batch.Hosting.LocalState.Internal;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>
/// An <see cref="IMembershipTable"/> kept in a JSON file, for clusters whose silos all run on one machine.
/// </summary>
/// <remarks>
/// Every write takes an exclusive lock on a side file, re-reads the table, checks the caller's etags, and
/// replaces the table file atomically (write to a temporary file, then rename). Reads take no lock: a rename
/// is atomic, so a reader sees either the old or the new table, never a mix.
/// </remarks>
internal sealed partial class FileMembershipTable : IMembershipTable
{
    private readonly LocalMembershipOptions _options;
    private readonly string _clusterId;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the table of the cluster named by <paramref name="clusterOptions"/>.</summary>
    public FileMembershipTable(
        IOptions<LocalMembershipOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        ILogger<FileMembershipTable> logger,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        _options = options.Value;
        _clusterId = clusterOptions.Value.ClusterId;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
    }

    private string TablePath => _options.GetTablePath(_clusterId);

    /// <inheritdoc />
    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, default);

    /// <inheritdoc />
    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _options.EnsureDirectory();
        LogInitialized(_logger, _clusterId, TablePath);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, default);

    /// <inheritdoc />
    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using (await AcquireLockAsync(clusterId, cancellationToken).ConfigureAwait(false))
        {
            File.Delete(_options.GetTablePath(clusterId));
            File.Delete(_options.GetLeasePath(clusterId));
            File.Delete(_options.GetCertificatePath(clusterId));
        }

        File.Delete(_options.GetLockPath(clusterId));
        File.Delete(_options.GetTransitionLockPath(clusterId));
    }

    /// <inheritdoc />
    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, default);

    /// <inheritdoc />
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken) =>
        MutateAsync(document =>
        {
            var removed = document.Rows.RemoveAll(row => DefunctSiloPolicy.IsDefunct(FromRow(row), beforeDate));
            return removed > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, default);

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var document = await ReadDocumentAsync(cancellationToken).ConfigureAwait(false);
        var address = key.ToParsableString();
        var rows = document.Rows.Where(r => r.SiloAddress == address);
        return ToTableData(document, rows);
    }

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAll() => ReadAllAsync(default);

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        var document = await ReadDocumentAsync(cancellationToken).ConfigureAwait(false);
        return ToTableData(document, document.Rows);
    }

    /// <inheritdoc />
    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, default);

    /// <inheritdoc />
    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        var inserted = false;
        await MutateAsync(document =>
        {
            var address = entry.SiloAddress.ToParsableString();
            if (document.VersionEtag != tableVersion.VersionEtag || document.Rows.Any(r => r.SiloAddress == address))
            {
                return false;
            }

            document.Rows.Add(ToRow(entry, NewEtag(document)));
            BumpVersion(document, tableVersion);
            inserted = true;
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (!inserted)
        {
            LogContention(_logger, "insert", entry.SiloAddress);
        }

        return inserted;
    }

    /// <inheritdoc />
    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, default);

    /// <inheritdoc />
    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        var updated = false;
        await MutateAsync(document =>
        {
            var address = entry.SiloAddress.ToParsableString();
            var index = document.Rows.FindIndex(r => r.SiloAddress == address);
            if (index < 0 || document.Rows[index].Etag != etag || document.VersionEtag != tableVersion.VersionEtag)
            {
                return false;
            }

            document.Rows[index] = ToRow(entry, NewEtag(document));
            BumpVersion(document, tableVersion);
            updated = true;
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (!updated)
        {
            LogContention(_logger, "update", entry.SiloAddress);
        }

        return updated;
    }

    /// <inheritdoc />
    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, default);

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return MutateAsync(document =>
        {
            var address = entry.SiloAddress.ToParsableString();
            var row = document.Rows.Find(r => r.SiloAddress == address)
                ?? throw new InvalidOperationException($"Cannot record I-am-alive of silo {entry.SiloAddress}: it has no row in the membership table of cluster '{_clusterId}'.");

            // The heartbeat never changes the row etag or the table version.
            row.IAmAliveTime = entry.IAmAliveTime;
            return true;
        }, cancellationToken);
    }

    /// <summary>Reads the current table (no lock; the file is replaced atomically).</summary>
    internal async Task<LocalMembershipDocument> ReadDocumentAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = TablePath;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            return await JsonSerializer.DeserializeAsync(stream, LocalMembershipJsonContext.Default.LocalMembershipDocument, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"The membership table file '{path}' is empty.");
        }
        catch (FileNotFoundException)
        {
            return new LocalMembershipDocument();
        }
        catch (DirectoryNotFoundException)
        {
            return new LocalMembershipDocument();
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The membership table file '{path}' is malformed: {exception.Message}", exception);
        }
    }

    private async Task MutateAsync(Func<LocalMembershipDocument, bool> mutate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using (await AcquireLockAsync(_clusterId, cancellationToken).ConfigureAwait(false))
        {
            var document = await ReadDocumentAsync(cancellationToken).ConfigureAwait(false);
            if (!mutate(document))
            {
                return;
            }

            // Once the lock is held the write must complete: a half-applied change is worse than a late one.
            var path = TablePath;
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await using (var stream = PrivateFile.Open(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, asynchronous: true))
            {
                await JsonSerializer.SerializeAsync(stream, document, LocalMembershipJsonContext.Default.LocalMembershipDocument, CancellationToken.None).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
    }

    private async Task<FileStream> AcquireLockAsync(string clusterId, CancellationToken cancellationToken)
    {
        _options.EnsureDirectory();
        var lockPath = _options.GetLockPath(clusterId);
        var deadline = _time.GetTimestamp() + (long)(_options.LockTimeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
                return PrivateFile.Open(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException) when (_time.GetTimestamp() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 15)), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException exception)
            {
                throw new TimeoutException($"Timed out after {_options.LockTimeout} waiting for the membership table lock '{lockPath}' ({LocalMembershipOptions.SectionName}:LockTimeout).", exception);
            }
        }
    }

    private static MembershipTableData ToTableData(LocalMembershipDocument document, IEnumerable<LocalMembershipRow> rows)
    {
        var entries = rows.Select(row => Tuple.Create(FromRow(row), row.Etag)).ToList();
        return new MembershipTableData(entries, new TableVersion(document.Version, document.VersionEtag));
    }

    private static void BumpVersion(LocalMembershipDocument document, TableVersion tableVersion)
    {
        document.Version = tableVersion.Version;
        document.VersionEtag = NewEtag(document);
    }

    private static string NewEtag(LocalMembershipDocument document) =>
        (document.NextEtag++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static LocalMembershipRow ToRow(MembershipEntry entry, string etag) => new()
    {
        SiloAddress = entry.SiloAddress.ToParsableString(),
        Etag = etag,
        Status = (int)entry.Status,
        ProxyPort = entry.ProxyPort,
        HostName = entry.HostName,
        SiloName = entry.SiloName,
        RoleName = entry.RoleName,
        UpdateZone = entry.UpdateZone,
        FaultZone = entry.FaultZone,
        StartTime = entry.StartTime,
        IAmAliveTime = entry.IAmAliveTime,
        SuspectTimes = entry.SuspectTimes?.Select(v => new LocalSuspectVote(v.Item1.ToParsableString(), v.Item2)).ToList(),
    };

    private static MembershipEntry FromRow(LocalMembershipRow row) => new()
    {
        SiloAddress = SiloAddress.FromParsableString(row.SiloAddress),
        Status = (SiloStatus)row.Status,
        ProxyPort = row.ProxyPort,
        HostName = row.HostName!,
        SiloName = row.SiloName!,
        RoleName = row.RoleName,
        UpdateZone = row.UpdateZone,
        FaultZone = row.FaultZone,
        StartTime = row.StartTime,
        IAmAliveTime = row.IAmAliveTime,
        SuspectTimes = row.SuspectTimes?.Select(v => Tuple.Create(SiloAddress.FromParsableString(v.Suspecter), v.Time)).ToList()!,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Local membership table of cluster {ClusterId} is {Path}")]
    private static partial void LogInitialized(ILogger logger, string clusterId, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership {Operation} of silo {Silo} lost a race (etag or version changed)")]
    private static partial void LogContention(ILogger logger, string operation, SiloAddress silo);
}
