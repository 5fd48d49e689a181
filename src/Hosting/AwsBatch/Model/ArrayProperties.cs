namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>Makes a submitted job an array job (model shape <c>ArrayProperties</c>).</summary>
internal sealed class ArrayProperties
{
    /// <summary>The number of child jobs, 2 to 10,000 (<c>size</c>). Children get ids <c>&lt;parent id&gt;:&lt;index&gt;</c>.</summary>
    public int? Size { get; init; }
}
