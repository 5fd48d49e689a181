namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Array information of a listed job (model shape <c>ArrayPropertiesSummary</c>).</summary>
internal sealed class ArrayPropertiesSummary
{
    /// <summary>The array size; set on the parent (<c>size</c>).</summary>
    public int? Size { get; init; }

    /// <summary>The child index; set on children (<c>index</c>).</summary>
    public int? Index { get; init; }

    /// <summary>Child counts by status name, e.g. <c>RUNNING</c>; set on the parent (<c>statusSummary</c>).</summary>
    public IReadOnlyDictionary<string, int>? StatusSummary { get; init; }

    /// <summary>When <see cref="StatusSummary"/> was last updated (<c>statusSummaryLastUpdatedAt</c>).</summary>
    public DateTimeOffset? StatusSummaryLastUpdatedAt { get; init; }
}
