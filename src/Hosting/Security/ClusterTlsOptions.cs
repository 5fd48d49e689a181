namespace Orleans.Batch.Hosting.Security;

/// <summary>
/// A silo's side of cluster TLS (section <c>OrleansBatch:Tls</c>), set by its manager. When enabled, the silo loads
/// the cluster's certificate from beside the cluster's membership rows before it opens any connection, presents it on
/// every silo-to-silo and gateway connection, and accepts only peers that present the same certificate.
/// </summary>
public sealed class ClusterTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansBatch:Tls";

    /// <summary>The configuration key of <see cref="Enabled"/>: <c>OrleansBatch:Tls:Enabled</c>.</summary>
    public const string EnabledKey = SectionName + ":" + nameof(Enabled);

    /// <summary>Whether the cluster's connections use mutually authenticated TLS. Default: false (the manager turns it on).</summary>
    public bool Enabled { get; set; }
}
