using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// Asks DynamoDB for the capacity each membership request consumes (<c>ReturnConsumedCapacity=TOTAL</c>: a few bytes
/// more in the answer, no cost) and reads it back, so a run can report what its table cost.
/// </summary>
internal static class ConsumedCapacityReport
{
    /// <summary>Sets <c>ReturnConsumedCapacity</c> on the request kinds the membership code sends, unless set already.</summary>
    public static void Ask(AmazonWebServiceRequest request)
    {
        switch (request)
        {
            case GetItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case QueryRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case ScanRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case PutItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case UpdateItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case DeleteItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case BatchWriteItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case BatchGetItemRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case TransactWriteItemsRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
            case TransactGetItemsRequest r: r.ReturnConsumedCapacity ??= ReturnConsumedCapacity.TOTAL; break;
        }
    }

    /// <summary>The capacity units an answer reports, and whether they are write units; null when it reports none.</summary>
    public static (double Units, bool Write)? Read(AmazonWebServiceResponse? response) => response switch
    {
        GetItemResponse r => Reads(r.ConsumedCapacity),
        QueryResponse r => Reads(r.ConsumedCapacity),
        ScanResponse r => Reads(r.ConsumedCapacity),
        BatchGetItemResponse r => Reads(r.ConsumedCapacity),
        TransactGetItemsResponse r => Reads(r.ConsumedCapacity),
        PutItemResponse r => Writes(r.ConsumedCapacity),
        UpdateItemResponse r => Writes(r.ConsumedCapacity),
        DeleteItemResponse r => Writes(r.ConsumedCapacity),
        BatchWriteItemResponse r => Writes(r.ConsumedCapacity),
        TransactWriteItemsResponse r => Writes(r.ConsumedCapacity),
        _ => null,
    };

    private static (double, bool)? Reads(ConsumedCapacity? consumed) => Units(consumed) is { } units ? (units, false) : null;

    private static (double, bool)? Reads(List<ConsumedCapacity>? consumed) => Units(consumed) is { } units ? (units, false) : null;

    private static (double, bool)? Writes(ConsumedCapacity? consumed) => Units(consumed) is { } units ? (units, true) : null;

    private static (double, bool)? Writes(List<ConsumedCapacity>? consumed) => Units(consumed) is { } units ? (units, true) : null;

    private static double? Units(ConsumedCapacity? consumed) => consumed?.CapacityUnits;

    private static double? Units(List<ConsumedCapacity>? consumed) =>
        consumed is { Count: > 0 } ? consumed.Sum(c => c.CapacityUnits ?? 0) : null;
}
