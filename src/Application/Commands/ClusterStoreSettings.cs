namespace Orleans.Batch.Application.Commands;

/// <summary>The store and queue flags of <c>list</c> and <c>cleanup</c>, validated.</summary>
internal sealed record ClusterStoreSettings(string? LocalDirectory, string? Table, string? DynamoDBEndpoint, string? Region, string? Queue, string? BatchEndpoint)
{
    /// <summary>DynamoDB as soon as any AWS flag is given (Batch clusters always keep their membership there).</summary>
    public bool UsesDynamoDB => Table is not null || DynamoDBEndpoint is not null || Region is not null || Queue is not null;
}
