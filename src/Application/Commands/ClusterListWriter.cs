using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans.Batch.Hosting.Cluster.Inventory;
using Spectre.Console;

namespace Orleans.Batch.Application.Commands;

/// <summary>Writes <c>list</c>'s clusters: a table on a terminal, aligned plain text otherwise, or JSON.</summary>
internal sealed class ClusterListWriter(TextWriter output, DateTimeOffset now)
{
    private static readonly string[] Headers = ["CLUSTER", "LEASE", "RENEWED", "SILOS", "ORPHANED", "JOBS"];

    public void WriteTable(ClusterStoreSession session, IReadOnlyList<ClusterRecord> clusters)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (clusters.Count == 0)
        {
            console.MarkupLineInterpolated($"No clusters in {session.Description}.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns(Headers.Select(h => new TableColumn(h)).ToArray());
        foreach (var cluster in clusters)
        {
            var cells = Cells(cluster);
            var leaseColor = cluster.LeaseState switch
            {
                ClusterLeaseState.Live => "green",
                ClusterLeaseState.Expired => "red",
                _ => "yellow",
            };
            table.AddRow(
                new Text(cells[0]),
                new Markup($"[{leaseColor}]{Markup.Escape(cells[1])}[/]"),
                new Text(cells[2]),
                new Text(cells[3]),
                new Markup(cluster.IsOrphaned ? "[red]yes[/]" : "no"),
                new Text(string.Join('\n', cluster.Jobs.Select(j => j.Describe())) is { Length: > 0 } jobs ? jobs : "-"));
        }

        table.Caption($"{clusters.Count} cluster(s) in {Markup.Escape(session.Description)}; orphaned ones are released by 'cleanup'");
        console.Write(table);
        foreach (var (cluster, line) in WaitingLines(clusters))
        {
            console.MarkupLineInterpolated($"[yellow]Why RUNNABLE[/] ({cluster}): {line}");
        }
    }

    public void WritePlain(ClusterStoreSession session, IReadOnlyList<ClusterRecord> clusters)
    {
        if (clusters.Count == 0)
        {
            output.WriteLine($"No clusters in {session.Description}.");
            return;
        }

        var rows = new List<string[]> { Headers };
        rows.AddRange(clusters.Select(Cells));
        var widths = Enumerable.Range(0, Headers.Length - 1).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i < widths.Length ? row[i].PadRight(widths[i] + 2) : row[i]);
            }

            output.WriteLine(line.ToString().TrimEnd());
        }

        foreach (var (cluster, line) in WaitingLines(clusters))
        {
            output.WriteLine($"Why RUNNABLE ({cluster}): {line}");
        }
    }

    // The manager's words for a cluster whose silos wait, so a second terminal sees what the manager printed.
    private static IEnumerable<(string Cluster, string Line)> WaitingLines(IReadOnlyList<ClusterRecord> clusters) =>
        clusters.SelectMany(c => c.Waiting.Select(line => (c.ClusterId, line)));

    public void WriteJson(ClusterStoreSession session, IReadOnlyList<ClusterRecord> clusters)
    {
        var document = new ClusterListJson(
            session.Catalog.Description,
            session.Queue,
            now,
            [.. clusters.Select(c => new ClusterJson(
                c.ClusterId,
                c.LeaseState.ToString().ToLowerInvariant(),
                c.Partition?.Lease?.RenewedAt,
                c.LeaseAge?.TotalSeconds,
                c.Partition?.Lease?.Timeout.TotalSeconds,
                c.Partition?.Lease?.Holder,
                c.Partition?.ActiveSilos,
                c.Partition?.TotalSilos,
                c.IsOrphaned,
                c.Assessment,
                [.. c.Jobs.Select(j => new ClusterJobJson(j.JobId, j.JobName, j.StatusName, j.Role, j.CreatedAt, j.ArraySize, j.ChildStatuses))],
                c.Waiting))]);
        output.WriteLine(JsonSerializer.Serialize(document, CommandJsonContext.Default.ClusterListJson));
    }

    private string[] Cells(ClusterRecord cluster) =>
    [
        cluster.ClusterId,
        cluster.LeaseState.ToString().ToLowerInvariant(),
        cluster.LeaseAge is { } age ? $"{ClusterInventory.Format(age)} ago" : "-",
        cluster.Partition is { } p ? $"{p.ActiveSilos.ToString(CultureInfo.InvariantCulture)}/{p.TotalSilos.ToString(CultureInfo.InvariantCulture)}" : "-",
        cluster.IsOrphaned ? "yes" : "no",
        cluster.Jobs.Count == 0 ? "-" : string.Join(", ", cluster.Jobs.Select(j => j.Describe())),
    ];
}
